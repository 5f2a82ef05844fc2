using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CodexRuntime.Web;

/// <summary>
/// <c>services.AddCodexRuntime(...).AddHealthChecks()</c>: the codex connection's <see cref="CodexRuntimeHealthCheck"/>
/// (in the core) registered with ASP.NET Core's health checks. Here and not in the core because the core depends on the
/// health-check abstractions only, and <c>AddHealthChecks()</c> lives in the implementation, part of ASP.NET Core.
/// </summary>
public static class CodexHealthCheckBuilderExtensions
{
    /// <summary>
    /// Registers the builder's client's <see cref="CodexRuntimeHealthCheck"/> (named <c>codex</c>, or <c>codex-{name}</c>;
    /// tagged <c>codex</c>). Map it with <c>app.MapHealthChecks("/healthz")</c>. Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="failureStatus">What a stopped or crashed codex reports; Unhealthy by default.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder AddHealthChecks(this ICodexRuntimeBuilder builder, HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var registration = CodexRuntimeHealthCheck.Registration(builder.Name, failureStatus);
        builder.Services.AddHealthChecks();
        builder.Services.Configure<HealthCheckServiceOptions>(options =>
        {
            if (!options.Registrations.Any(r => r.Name == registration.Name))
            {
                options.Registrations.Add(registration);
            }
        });
        return builder;
    }
}
