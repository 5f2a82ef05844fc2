namespace CodexRuntime.Protocol;

/// <summary>A notification in the catalog (<see cref="CodexNotifications"/>).</summary>
public abstract class CodexNotificationType
{
    private protected CodexNotificationType(string method, string since)
    {
        Method = method;
        Since = CodexVersion.Parse(since);
    }

    /// <summary>The JSON-RPC method, e.g. <c>turn/completed</c>.</summary>
    public string Method { get; }

    /// <summary>
    /// The oldest checked-in codex schema (build/schema) that has the notification: the floor version for what every supported
    /// codex has, else the first release we generated from that had it. An older codex does not have it.
    /// </summary>
    public CodexVersion Since { get; }

    /// <summary>True when the oldest supported codex (<see cref="CodexProtocolVersions.Floor"/>) has the notification.</summary>
    public bool AvailableInFloorVersion => Since <= CodexProtocolVersions.Floor;

    /// <summary>The payload type.</summary>
    public abstract Type PayloadType { get; }

    /// <inheritdoc />
    public override string ToString() => Method;
}

/// <summary>A typed notification: read its payload with <c>CodexInboundMessage.ReadParams</c>.</summary>
/// <typeparam name="TPayload">The payload type.</typeparam>
public sealed class CodexNotificationType<TPayload> : CodexNotificationType
{
    internal CodexNotificationType(string method, string since)
        : base(method, since)
    {
    }

    /// <inheritdoc />
    public override Type PayloadType => typeof(TPayload);
}
