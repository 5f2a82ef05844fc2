using CodexRuntime.Artifact.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Artifact;

/// <summary><c>services.AddCodexRuntime(...).AddArtifacts(o => o.Root = ...)</c>: artifacts over the builder's client.</summary>
public static class ArtifactBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="IArtifactStore"/> (a <see cref="FsArtifactStore"/> on <see cref="ArtifactOptions.Root"/>)
    /// and an <see cref="ArtifactSessionManager"/> over the builder's <see cref="CodexClient"/>, both singletons. For a
    /// named client (<c>AddCodexRuntime("name")</c>) they are keyed services under that name, with options of that
    /// name. Options are validated at host start. Nothing is created or touched on disk here. Safe to call again
    /// (the delegates add up; the first registration wins, so an app's own <see cref="IArtifactStore"/> registered first is kept).
    /// </summary>
    /// <param name="builder">The builder <c>AddCodexRuntime</c> returned.</param>
    /// <param name="configure">Sets the options (at least <see cref="ArtifactOptions.Root"/>).</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder AddArtifacts(this ICodexRuntimeBuilder builder, Action<ArtifactOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var name = builder.Name;
        var services = builder.Services;
        services.AddOptions<ArtifactOptions>(name).Configure(configure).PostConfigure(o => o.WorkingDirectory ??= o.Root).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ArtifactOptions>, ArtifactOptionsValidator>());
        if (string.IsNullOrEmpty(name))
        {
            services.TryAddSingleton<IArtifactStore>(provider => CreateStore(provider, name));
            services.TryAddSingleton(provider => CreateManager(provider, name, provider.GetRequiredService<CodexClient>(), provider.GetRequiredService<IArtifactStore>()));
        }
        else
        {
            services.TryAddKeyedSingleton<IArtifactStore>(name, (provider, _) => CreateStore(provider, name));
            services.TryAddKeyedSingleton(name, (provider, _) => CreateManager(provider, name, provider.GetRequiredKeyedService<CodexClient>(name), provider.GetRequiredKeyedService<IArtifactStore>(name)));
        }

        return builder;
    }

    private static FsArtifactStore CreateStore(IServiceProvider provider, string name)
    {
        var options = Options(provider, name);
        return new FsArtifactStore(options.Root!, new FsArtifactStoreOptions
        {
            KeptRevisions = options.KeptRevisions,
            MaxRevisionAge = options.MaxRevisionAge,
            LockTimeout = options.LockTimeout,
            TimeProvider = provider.GetService<TimeProvider>(),
        }, provider.GetService<ILogger<FsArtifactStore>>());
    }

    private static ArtifactSessionManager CreateManager(IServiceProvider provider, string name, CodexClient client, IArtifactStore store)
    {
        return new ArtifactSessionManager(client, store, Options(provider, name), provider.GetService<ILoggerFactory>());
    }

    /// <summary>The named options, validated (a host validates at start, a bare container when they are first read).</summary>
    private static ArtifactOptions Options(IServiceProvider provider, string name) =>
        provider.GetRequiredService<IOptionsMonitor<ArtifactOptions>>().Get(name);
}
