using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CodexRuntime.Hosting;

/// <summary><c>services.AddCodexRuntime(...).AddHealthChecks()</c>: the codex connection as a health check.</summary>
public static class CodexRuntimeHealthCheckExtensions
{
    /// <summary>
    /// Registers a <see cref="CodexRuntimeHealthCheck"/> for the builder's client with <c>services.AddHealthChecks()</c>,
    /// named <c>codex</c> (<c>codex-{name}</c> for a named client) and tagged <c>codex</c>. Map it in a web app with
    /// <c>app.MapHealthChecks("/healthz")</c>. Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="failureStatus">What a stopped or crashed codex reports; Unhealthy by default.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder AddHealthChecks(this ICodexRuntimeBuilder builder, HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var name = builder.Name;
        var checkName = string.IsNullOrEmpty(name) ? "codex" : "codex-" + name;
        builder.Services.Configure<HealthCheckServiceOptions>(options =>
        {
            if (options.Registrations.Any(r => r.Name == checkName))
            {
                return;
            }

            options.Registrations.Add(new HealthCheckRegistration(
                checkName,
                provider => new CodexRuntimeHealthCheck(string.IsNullOrEmpty(name) ? provider.GetRequiredService<CodexClient>() : provider.GetRequiredKeyedService<CodexClient>(name)),
                failureStatus,
                ["codex"]));
        });
        builder.Services.AddHealthChecks();
        return builder;
    }
}
