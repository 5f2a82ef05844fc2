using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

// The root namespace: internal registration plumbing of the root layer (it binds ClientConfig and builds CodexClient);
// the file stays in Hosting/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>
/// Binds a <see cref="ClientConfig"/> from its configuration section (<c>CodexRuntime</c> for the default client,
/// <c>CodexRuntime:Clients:&lt;name&gt;</c> for a named one) when the app registered an <see cref="IConfiguration"/>.
/// Registered before any configure delegate, so code wins over configuration.
/// </summary>
/// <remarks>
/// The <c>Bind</c> and <c>GetValue</c> calls compile to the configuration-binding source generator's code (the
/// project sets <c>EnableConfigurationBindingGenerator</c>), so binding needs no reflection and is trim/AOT safe
/// (docs/aot.md). The generator handles every public settable property, the pass-through shortcuts (<c>CliPath</c> sets
/// <c>Runtime.Process.ExecutablePath</c>) and the nested <c>Runtime</c> options. The two records with init-only
/// properties (<see cref="CodexRestartPolicy"/>, <see cref="CodexClientInfo"/>) are bound here by hand into copies
/// (the generator cannot set init-only properties, and the defaults are shared static instances that must never be
/// changed in place); a version written as text is parsed here too (<c>MinimumVersion</c>). Unknown keys are ignored
/// (the .NET convention; add-on packages may keep their own sections under <c>CodexRuntime</c>).
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
            BindRecords(section.GetSection("Runtime:RestartPolicy"), section.GetSection("Runtime:Connection:ClientInfo"), bound);
            BindShortKeys(section, bound);
        }

        if (options.Runtime?.Process is { } process)
        {
            // Endpoints are written as the URL codex's --listen takes; the generator cannot construct them.
            process.Listen = ParseEndpoint(section, path, "Runtime:Process:Listen") ?? process.Listen;
            process.Attach = ParseEndpoint(section, path, "Runtime:Process:Attach") ?? process.Attach;
        }

        if (section[MinimumVersionKey] is { } version && options.Runtime?.Connection is { } connection)
        {
            connection.MinimumVersion = CodexVersion.TryParse(version, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"Configuration value '{path}:{MinimumVersionKey}' is '{version}'; write a version like 0.104.0.");
        }
    }

    private static Transport.CodexEndpoint? ParseEndpoint(IConfigurationSection section, string path, string key) =>
        section[key] is not { Length: > 0 } value
            ? null
            : Transport.CodexEndpoint.TryParse(value, out var endpoint)
                ? endpoint
                : throw new InvalidOperationException($"Configuration value '{path}:{key}' is '{value}'; write unix:///absolute/path or ws://IP:PORT (docs/transports.md).");

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
        BindRecords(section.GetSection("RestartPolicy"), section.GetSection("ClientInfo"), runtime);
        connection.CompatibilityGuard = section.GetValue("CompatibilityGuard", connection.CompatibilityGuard);
        connection.ExperimentalApi = section.GetValue("ExperimentalApi", connection.ExperimentalApi);
        connection.RequestTimeout = section.GetValue("RequestTimeout", connection.RequestTimeout);
        runtime.ServerRequests.UnhandledPolicy = section.GetValue("ServerRequestPolicy", runtime.ServerRequests.UnhandledPolicy);
    }

    /// <summary>Binds a restart policy and a client info section into new records (keys not written keep their value).</summary>
    private static void BindRecords(IConfigurationSection policy, IConfigurationSection info, CodexRuntimeOptions runtime)
    {
        if (policy.GetChildren().Any())
        {
            var current = runtime.RestartPolicy;
            runtime.RestartPolicy = current with
            {
                MaxRestarts = ConfigurationValues.Read(policy, nameof(CodexRestartPolicy.MaxRestarts), current.MaxRestarts),
                InitialBackoff = ConfigurationValues.Read(policy, nameof(CodexRestartPolicy.InitialBackoff), current.InitialBackoff),
                BackoffMultiplier = ConfigurationValues.Read(policy, nameof(CodexRestartPolicy.BackoffMultiplier), current.BackoffMultiplier),
                MaxBackoff = ConfigurationValues.Read(policy, nameof(CodexRestartPolicy.MaxBackoff), current.MaxBackoff),
                ResetAfter = ConfigurationValues.Read(policy, nameof(CodexRestartPolicy.ResetAfter), current.ResetAfter),
            };
        }

        if (info.GetChildren().Any() && runtime.Connection is { } connection)
        {
            var current = connection.ClientInfo;
            connection.ClientInfo = current with
            {
                Name = info[nameof(CodexClientInfo.Name)] ?? current.Name,
                Version = info[nameof(CodexClientInfo.Version)] ?? current.Version,
                Title = info[nameof(CodexClientInfo.Title)] ?? current.Title,
            };
        }
    }

    private static bool HasChildren(IConfigurationSection section, string key) =>
        section.GetSection(key).GetChildren().Any();
}
