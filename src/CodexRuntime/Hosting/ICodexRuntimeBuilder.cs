using Microsoft.Extensions.DependencyInjection;

namespace CodexRuntime;

/// <summary>
/// What <c>services.AddCodexRuntime(...)</c> returns: the service collection and the name of the client it registered,
/// for <c>With*</c> extension methods (the core's and those of add-on packages) that configure that client.
/// </summary>
/// <remarks>
/// An add-on configures every client by registering an <see cref="Microsoft.Extensions.Options.IConfigureNamedOptions{TOptions}"/>
/// of <see cref="ClientConfig"/> with <c>TryAddEnumerable</c> (a plain <c>IConfigureOptions</c> reaches the default
/// client only), or one client with <c>Services.Configure&lt;ClientConfig&gt;(builder.Name, ...)</c>.
/// </remarks>
public interface ICodexRuntimeBuilder
{
    /// <summary>The service collection the client is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// The options name of the client: <see cref="Microsoft.Extensions.Options.Options.DefaultName"/> (empty) for the
    /// default client, otherwise the name given to <c>AddCodexRuntime(name)</c> (the key of its keyed
    /// <see cref="CodexClient"/>). Never null, so <c>Configure&lt;ClientConfig&gt;(Name, ...)</c> never reaches all clients.
    /// </summary>
    string Name { get; }
}
