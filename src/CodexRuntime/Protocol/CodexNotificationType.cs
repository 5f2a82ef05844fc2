namespace CodexRuntime.Protocol;

/// <summary>A notification in the catalog (<see cref="CodexNotifications"/>).</summary>
public abstract class CodexNotificationType
{
    private protected CodexNotificationType(string method, bool availableInFloorVersion)
    {
        Method = method;
        AvailableInFloorVersion = availableInFloorVersion;
    }

    /// <summary>The JSON-RPC method, e.g. <c>turn/completed</c>.</summary>
    public string Method { get; }

    /// <summary>True when the oldest supported codex (0.104.0) sends it.</summary>
    public bool AvailableInFloorVersion { get; }

    /// <summary>The payload type.</summary>
    public abstract Type PayloadType { get; }

    /// <inheritdoc />
    public override string ToString() => Method;
}

/// <summary>A typed notification: read its payload with <c>CodexInboundMessage.ReadParams</c>.</summary>
/// <typeparam name="TPayload">The payload type.</typeparam>
public sealed class CodexNotificationType<TPayload> : CodexNotificationType
{
    internal CodexNotificationType(string method, bool availableInFloorVersion)
        : base(method, availableInFloorVersion)
    {
    }

    /// <inheritdoc />
    public override Type PayloadType => typeof(TPayload);
}
