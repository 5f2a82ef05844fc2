using Microsoft.Extensions.DependencyInjection;

namespace CodexRuntime.Hooks;

/// <summary>
/// Where hooks go: <c>UseHooks</c> hands a <see cref="HookBuilder"/> over the interceptor list the core already has —
/// <see cref="ClientConfig.Interceptors"/> (global: every run and session of the client),
/// <see cref="RunProfile.Interceptors"/> (run-scoped: only where the profile is used, after the global ones), or the
/// named client of <c>services.AddCodexRuntime(...)</c>. The hooks live in those options and nowhere else.
/// </summary>
/// <remarks>
/// A <see cref="WorkflowConfig"/> has both (<c>config.Client.UseHooks(...)</c>, <c>config.Profile.UseHooks(...)</c>);
/// a <see cref="SessionConfig"/> takes run-scoped hooks through its profile, e.g.
/// <c>new SessionConfig(cwd, client.Config.DefaultProfile.Clone().UseHooks(...))</c>.
/// </remarks>
public static class HookExtensions
{
    /// <summary>Adds global hooks, run in every run and session of the client.</summary>
    /// <param name="config">The client configuration.</param>
    /// <param name="configure">Adds the hooks.</param>
    /// <returns>The same configuration.</returns>
    public static ClientConfig UseHooks(this ClientConfig config, Action<HookBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Use(config, config.Interceptors, configure);
    }

    /// <summary>Adds run-scoped hooks, run only in the runs and sessions that use this profile (after the global ones).</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="configure">Adds the hooks.</param>
    /// <returns>The same profile.</returns>
    public static RunProfile UseHooks(this RunProfile profile, Action<HookBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return Use(profile, profile.Interceptors, configure);
    }

    /// <summary>
    /// Adds global hooks to the builder's client (<see cref="ICodexRuntimeBuilder.Name"/>) through a named
    /// <c>IConfigureNamedOptions&lt;ClientConfig&gt;</c>: <paramref name="configure"/> runs when that client's options
    /// are built, with the container to resolve hooks from (e.g. <c>services.GetRequiredService&lt;MyHook&gt;()</c>).
    /// Other clients are not touched.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adds the hooks.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder UseHooks(this ICodexRuntimeBuilder builder, Action<HookBuilder, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<ClientConfig>(builder.Name)
            .Configure<IServiceProvider>((config, services) => configure(new HookBuilder(config.Interceptors), services));
        return builder;
    }

    private static TOwner Use<TOwner>(TOwner owner, IList<ICodexRunInterceptor> interceptors, Action<HookBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(new HookBuilder(interceptors));
        return owner;
    }
}
