using CodexRuntime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Web.Hosting;

/// <summary><c>services.AddCodexRuntime(...).AddWeb(o => ...)</c>: the web adapter over the builder's client.</summary>
public static class CodexWebBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="WebAdapter"/> over the builder's <see cref="CodexClient"/> (disposed with the host:
    /// streams end, turns are interrupted, threads are kept), the default <see cref="ICodexTenantResolver"/> (claims),
    /// and ProblemDetails. Map the endpoints with <c>app.MapCodexRuntime("/codex")</c>.
    /// </summary>
    /// <param name="builder">The builder <c>AddCodexRuntime</c> returned.</param>
    /// <param name="configure">Sets the adapter's options (at least <c>Adapter.Cwd</c>).</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder AddWeb(this ICodexRuntimeBuilder builder, Action<CodexWebOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var name = builder.Name;
        builder.Services.Configure(configure);
        builder.Services.TryAddSingleton<ICodexTenantResolver, ClaimsTenantResolver>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.TryAddSingleton(provider =>
        {
            var client = string.IsNullOrEmpty(name) ? provider.GetRequiredService<CodexClient>() : provider.GetRequiredKeyedService<CodexClient>(name);
            return new WebAdapter(client, provider.GetRequiredService<IOptions<CodexWebOptions>>().Value.Adapter, provider.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        });
        return builder;
    }
}
