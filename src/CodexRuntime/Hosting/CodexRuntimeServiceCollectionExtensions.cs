using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CodexRuntime;

/// <summary>Registers <see cref="CodexClient"/>s in a service collection.</summary>
/// <remarks>
/// <para>
/// Options (<see cref="ClientConfig"/>) come, in this order, from the configuration section
/// <see cref="ConfigurationSectionName"/> (<c>CodexRuntime:Clients:&lt;name&gt;</c> for a named client) when an
/// <see cref="IConfiguration"/> is registered (the Generic Host registers one), then from the configure delegates in
/// call order; they are validated at host start (<c>ValidateOnStart</c>) and again when a client connects.
/// </para>
/// <para>
/// Nothing starts here or when the client is resolved: the process starts in <see cref="CodexClient.ConnectAsync"/>, on
/// first use, or at host start with <see cref="CodexRuntimeBuilderExtensions.WithHostedService"/>. The container owns the
/// client and stops its process when disposed (dispose it with <c>DisposeAsync</c>: the client is
/// <see cref="IAsyncDisposable"/> only). Every registration is a <c>TryAdd</c>, so calling again is safe and the app's
/// own registrations win.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// builder.Services.AddCodexRuntime(o => o.DefaultProfile.Model = "gpt-5-codex").WithHostedService();
/// // later: a CodexClient from DI (connected by the time the host has started)
/// </code>
/// </example>
public static class CodexRuntimeServiceCollectionExtensions
{
    /// <summary>The configuration section of the default client (<c>CodexRuntime</c>); named clients use <c>CodexRuntime:Clients:&lt;name&gt;</c>.</summary>
    public const string ConfigurationSectionName = CodexClientNames.RootSection;

    /// <summary>Registers the default <see cref="CodexClient"/> (a singleton) and its options.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options after configuration binding; applied even when called again.</param>
    /// <returns>A builder for <c>With*</c> methods.</returns>
    public static ICodexRuntimeBuilder AddCodexRuntime(this IServiceCollection services, Action<ClientConfig>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddCore(services, Options.DefaultName, configure);
        services.TryAddSingleton(provider => CodexClientFactory.Create(provider, Options.DefaultName));
        return new CodexRuntimeBuilder(services, Options.DefaultName);
    }

    /// <summary>
    /// Registers a named <see cref="CodexClient"/> (its own codex process), resolved as a keyed singleton:
    /// <c>[FromKeyedServices("name")] CodexClient</c> or <c>GetRequiredKeyedService&lt;CodexClient&gt;("name")</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The client's name: its service key, options name and section <c>CodexRuntime:Clients:&lt;name&gt;</c>.</param>
    /// <param name="configure">Changes the options after configuration binding; applied even when called again.</param>
    /// <returns>A builder for <c>With*</c> methods that configure this client.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public static ICodexRuntimeBuilder AddCodexRuntime(this IServiceCollection services, string name, Action<ClientConfig>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        AddCore(services, name, configure);
        services.TryAddKeyedSingleton(name, (provider, _) => CodexClientFactory.Create(provider, name));
        return new CodexRuntimeBuilder(services, name);
    }

    private static void AddCore(IServiceCollection services, string name, Action<ClientConfig>? configure)
    {
        // Binding first (registered once, for every name), so the delegates below win over configuration.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ClientConfig>, ClientConfigBinding>(
            provider => new ClientConfigBinding(provider.GetService<IConfiguration>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClientConfig>, ClientConfigValidator>());
        services.AddOptions<ClientConfig>(name).ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(name, configure);
        }
    }
}
