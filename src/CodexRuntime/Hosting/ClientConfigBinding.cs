using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Hosting;

/// <summary>
/// Binds a <see cref="ClientConfig"/> from its configuration section (<c>CodexRuntime</c> for the default client,
/// <c>CodexRuntime:Clients:&lt;name&gt;</c> for a named one) when the app registered an <see cref="IConfiguration"/>.
/// Registered before any configure delegate, so code wins over configuration.
/// </summary>
/// <remarks>
/// The reflection binder handles every public settable property, the pass-through shortcuts (<c>CliPath</c> sets
/// <c>Runtime.Process.ExecutablePath</c>) and the nested <c>Runtime</c> options. Three things it gets wrong are fixed here:
/// it would set the init-only properties of <see cref="CodexRestartPolicy.Never"/> and
/// <see cref="CodexClientInfo.Default"/> in place (shared static instances), so those are copied first; and it
/// silently ignores a version written as text, so <c>MinimumVersion</c> is parsed here. Unknown keys are ignored (the
/// .NET convention; add-on packages may keep their own sections under <c>CodexRuntime</c>).
/// </remarks>
internal sealed class ClientConfigBinding(IConfiguration? configuration) : IConfigureNamedOptions<ClientConfig>
{
    private const string MinimumVersionKey = "Runtime:Connection:MinimumVersion";

    public void Configure(ClientConfig options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, ClientConfig options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = CodexClientNames.SectionPath(name ?? Options.DefaultName);
        var section = configuration?.GetSection(path);
        if (section is null || !section.Exists())
        {
            return;
        }

        if (options.Runtime is { } runtime)
        {
            CopySharedInstances(section, runtime);
        }

        section.Bind(options);
        if (options.Runtime is { } bound)
        {
            BindShortKeys(section, bound);
        }

        if (section[MinimumVersionKey] is { } version && options.Runtime?.Connection is { } connection)
        {
            connection.MinimumVersion = CodexVersion.TryParse(version, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"Configuration value '{path}:{MinimumVersionKey}' is '{version}'; write a version like 0.104.0.");
        }
    }

    private static void CopySharedInstances(IConfigurationSection section, CodexRuntimeOptions runtime)
    {
        if (HasChildren(section, "RestartPolicy") || HasChildren(section, "Runtime:RestartPolicy"))
        {
            // Writing a restart policy means restarting: start from OnCrash()'s defaults (3 restarts, 1 s backoff)
            // unless the policy already restarts; "MaxRestarts": 0 turns it off again.
            runtime.RestartPolicy = runtime.RestartPolicy is { RestartsOnCrash: true } current ? current with { } : CodexRestartPolicy.OnCrash();
        }

        if ((HasChildren(section, "ClientInfo") || HasChildren(section, "Runtime:Connection:ClientInfo")) && runtime.Connection?.ClientInfo is { } info)
        {
            runtime.Connection.ClientInfo = info with { };
        }
    }

    /// <summary>
    /// The seed's short keys at the client level stay valid section names; each binds onto the setting's one home
    /// under <c>Runtime</c> (a key written at both places: the short key wins, as it is read last).
    /// </summary>
    private static void BindShortKeys(IConfigurationSection section, CodexRuntimeOptions runtime)
    {
        var process = runtime.Process;
        var connection = runtime.Connection;
        if (section["CliPath"] is { } cliPath)
        {
            process.ExecutablePath = cliPath;
        }

        if (section["ProcessWorkingDirectory"] is { } workingDirectory)
        {
            process.WorkingDirectory = workingDirectory;
        }

        if (section["CodexHome"] is { } codexHome)
        {
            process.CodexHome = codexHome;
        }

        section.GetSection("ExtraArguments").Bind(process.ExtraArguments);
        section.GetSection("Environment").Bind(process.Environment);
        section.GetSection("OptOutNotificationMethods").Bind(connection.OptOutNotificationMethods);
        section.GetSection("ClientInfo").Bind(connection.ClientInfo);
        section.GetSection("RestartPolicy").Bind(runtime.RestartPolicy);
        connection.CompatibilityGuard = section.GetValue("CompatibilityGuard", connection.CompatibilityGuard);
        connection.ExperimentalApi = section.GetValue("ExperimentalApi", connection.ExperimentalApi);
        connection.RequestTimeout = section.GetValue("RequestTimeout", connection.RequestTimeout);
        runtime.ServerRequests.UnhandledPolicy = section.GetValue("ServerRequestPolicy", runtime.ServerRequests.UnhandledPolicy);
    }

    private static bool HasChildren(IConfigurationSection section, string key) =>
        section.GetSection(key).GetChildren().Any();
}
