using System.Text.Json.Serialization.Metadata;
using CodexRuntime.Protocol;

namespace CodexRuntime.Rpc;

/// <summary>How a <see cref="CodexConnection"/> talks to codex.</summary>
public sealed class CodexConnectionOptions
{
    /// <summary>Who the client is, sent in <c>initialize</c>.</summary>
    public CodexClientInfo ClientInfo { get; set; } = CodexClientInfo.Default;

    /// <summary>Opt in to experimental methods and fields (<c>capabilities.experimentalApi</c>).</summary>
    public bool ExperimentalApi { get; set; }

    /// <summary>Notification methods the server should not send at all (<c>capabilities.optOutNotificationMethods</c>).</summary>
    public IList<string> OptOutNotificationMethods { get; } = new List<string>();

    /// <summary>
    /// Opt in to privileged escalation for requests sent through this connection (raw, typed and <c>AppServer</c> calls).
    /// A sandbox other than read-only also needs an approval policy other than never and an explicit scope on the same
    /// request; see <see cref="Safety.PrivilegedEscalationRule"/>. Off by default. Sessions opt in per run profile instead.
    /// </summary>
    public bool AllowPrivilegedEscalation { get; set; }

    /// <summary>Deadline of one request unless the call gives its own. codex drops malformed requests silently, so every request needs one.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Deadline of the <c>initialize</c> handshake.</summary>
    public TimeSpan InitializeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Refuse to connect to a codex older than <see cref="MinimumVersion"/> (on by default). Turn it off only to
    /// experiment with an unsupported version.
    /// </summary>
    public bool CompatibilityGuard { get; set; } = true;

    /// <summary>The oldest codex the compatibility guard accepts; <see cref="CodexVersion.MinimumSupported"/> by default.</summary>
    public CodexVersion MinimumVersion { get; set; } = CodexVersion.MinimumSupported;

    /// <summary>How requests are checked against the protocol catalog before they are sent.</summary>
    public CodexValidationMode ValidationMode { get; set; } = CodexValidationMode.KnownMethods;

    /// <summary>
    /// Resolves the JSON contracts of your own types for typed requests; consulted after CodexRuntime's own
    /// source-generated context. Use a <c>JsonSerializerContext</c> to stay reflection-free.
    /// </summary>
    public IJsonTypeInfoResolver? TypeInfoResolver { get; set; }

    /// <summary>Clock for timestamps and deadlines.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>After the process exits, how long the reader may keep draining output it already wrote before the connection is closed anyway.</summary>
    public TimeSpan ExitDrainTimeout { get; set; } = TimeSpan.FromMilliseconds(300);
}
