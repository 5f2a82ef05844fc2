using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// The root namespace: internal registration plumbing of the root layer (it binds ClientConfig and builds CodexClient);
// the file stays in Hosting/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>Creates and finds the <see cref="CodexClient"/> singletons <c>AddCodexRuntime</c> registers.</summary>
internal static class CodexClientFactory
{
    /// <summary>
    /// A client from the named options (bound, configured, validated: invalid options throw
    /// <see cref="OptionsValidationException"/> here) with the container's logger and meter factories. Starts nothing.
    /// </summary>
    public static CodexClient Create(IServiceProvider services, string name)
    {
        var config = services.GetRequiredService<IOptionsMonitor<ClientConfig>>().Get(name);
        config.Runtime.MeterFactory ??= services.GetService<IMeterFactory>();
        return new CodexClient(config, services.GetService<ILoggerFactory>());
    }

    /// <summary>The default client (empty name) or the keyed client of a name.</summary>
    public static CodexClient Resolve(IServiceProvider services, string name) =>
        CodexClientNames.IsDefault(name) ? services.GetRequiredService<CodexClient>() : services.GetRequiredKeyedService<CodexClient>(name);
}
