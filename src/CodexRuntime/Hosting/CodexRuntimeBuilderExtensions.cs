using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CodexRuntime;

/// <summary>The core's <c>With*</c> methods on <see cref="ICodexRuntimeBuilder"/>; each returns the same builder.</summary>
public static class CodexRuntimeBuilderExtensions
{
    /// <summary>
    /// Connects the builder's client at host start (<see cref="CodexClient.ConnectAsync"/>: the codex process starts and
    /// completes the handshake, so a broken install fails the start) and stops it at host stop. Without it the client
    /// connects on first use and stops when the container is disposed. Safe to call more than once; one hosted
    /// service serves every client.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder WithHostedService(this ICodexRuntimeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CodexClientHostedService>());
        var name = builder.Name;
        builder.Services.Configure<CodexHostedClients>(hosted => hosted.Add(name));
        return builder;
    }

    /// <summary>
    /// Configures the builder's client after configuration binding and the delegates given before (like
    /// <c>services.Configure&lt;ClientConfig&gt;(name, ...)</c>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the client's options.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder Configure(this ICodexRuntimeBuilder builder, Action<ClientConfig> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(builder.Name, configure);
        return builder;
    }

    /// <summary>Configures the run profile of the client's runs and sessions that do not bring their own.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes <see cref="ClientConfig.DefaultProfile"/>.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder WithDefaultProfile(this ICodexRuntimeBuilder builder, Action<RunProfile> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(config => configure(config.DefaultProfile));
    }
}
