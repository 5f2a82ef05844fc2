using CodexRuntime.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Web;

/// <summary><c>services.AddCodexRuntime(...).AddWeb(o => ...)</c>: the web adapter over the builder's client.</summary>
public static class CodexWebBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="WebAdapter"/> over the builder's <see cref="CodexClient"/> (disposed with the host:
    /// streams end, turns are interrupted, threads are kept) as the endpoints' <see cref="ICodexWebSessions"/>, its
    /// <see cref="WebAgUiRuns"/> as the AG-UI endpoint's <see cref="ICodexAgUiRuns"/> (each unless one is registered
    /// already), the default <see cref="ICodexTenantResolver"/> (claims),
    /// ProblemDetails (also for the authorization middleware's 401 and 403 on the Codex endpoints only), and the web
    /// JSON shapes in the HTTP JSON options (for OpenAPI documents). Map the endpoints with
    /// <c>app.MapCodexRuntime("/codex")</c>.
    /// </summary>
    /// <param name="builder">The builder <c>AddCodexRuntime</c> returned.</param>
    /// <param name="configure">Sets the adapter's options (at least <c>Adapter.Cwd</c>).</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder AddWeb(this ICodexRuntimeBuilder builder, Action<CodexWebOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var name = builder.Name;
        builder.Services.AddOptions<CodexWebOptions>()
            .Configure(configure)
            .Validate(o => o.DevelopmentTenant is null || !string.IsNullOrWhiteSpace(o.DevelopmentTenant), "CodexWebOptions.DevelopmentTenant is blank; name the tenant anonymous requests get (e.g. \"dev\"), or leave it null.")
            .Validate(o => o.DevelopmentTenant is null || !o.RequireAuthorization, "CodexWebOptions.DevelopmentTenant is set while RequireAuthorization is on, so no anonymous request could reach it: set RequireAuthorization = false as well (development only), or remove DevelopmentTenant.")
            .Validate<IHostEnvironment>((o, environment) => o.DevelopmentTenant is null || environment.IsDevelopment(), "CodexWebOptions.DevelopmentTenant is set outside the Development environment: every anonymous caller would share one tenant's sessions. Remove it and sign users in (or register an ICodexTenantResolver).")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<ICodexTenantResolver, ClaimsTenantResolver>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        // Appended, so an app's own resolvers come first; OpenAPI reads request and response schemas from here.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Add(WebJsonContext.Default));
        DecorateAuthorizationResults(builder.Services);
        builder.Services.TryAddSingleton(provider =>
        {
            var client = string.IsNullOrEmpty(name) ? provider.GetRequiredService<CodexClient>() : provider.GetRequiredKeyedService<CodexClient>(name);
            return new WebAdapter(client, provider.GetRequiredService<IOptions<CodexWebOptions>>().Value.Adapter, provider.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        });
        // The endpoints' seam: this process's own sessions, unless a scale-out package registered its own.
        builder.Services.TryAddSingleton<ICodexWebSessions>(provider => provider.GetRequiredService<WebAdapter>());
        builder.Services.TryAddSingleton<WebAgUiRuns>();
        builder.Services.TryAddSingleton<ICodexAgUiRuns>(provider => provider.GetRequiredService<WebAgUiRuns>());
        return builder;
    }

    /// <summary>
    /// Wraps the app's authorization result handler (registered so far, else the default) in one that writes the Codex
    /// endpoints' 401 and 403 as ProblemDetails. Safe to call twice; a handler the app registers after <c>AddWeb</c>
    /// replaces it (then that handler decides what a 401 looks like).
    /// </summary>
    private static void DecorateAuthorizationResults(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(CodexAuthorizationResultHandler)))
        {
            return;
        }

        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler) && !d.IsKeyedService);
        if (existing is not null)
        {
            services.Remove(existing);
        }

        services.AddSingleton(provider => new CodexAuthorizationResultHandler(existing switch
        {
            null => new AuthorizationMiddlewareResultHandler(),
            { ImplementationInstance: IAuthorizationMiddlewareResultHandler instance } => instance,
            { ImplementationFactory: { } factory } => (IAuthorizationMiddlewareResultHandler)factory(provider),
            _ => (IAuthorizationMiddlewareResultHandler)ActivatorUtilities.CreateInstance(provider, existing.ImplementationType!),
        }));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler>(provider => provider.GetRequiredService<CodexAuthorizationResultHandler>());
    }
}
