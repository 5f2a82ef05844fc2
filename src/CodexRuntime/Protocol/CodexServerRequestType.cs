namespace CodexRuntime.Protocol;

/// <summary>A server request in the catalog (<see cref="CodexServerRequests"/>).</summary>
public abstract class CodexServerRequestType
{
    private protected CodexServerRequestType(string method, CodexStability stability, string since)
    {
        Method = method;
        Stability = stability;
        Since = CodexVersion.Parse(since);
    }

    /// <summary>The JSON-RPC method, e.g. <c>item/commandExecution/requestApproval</c>.</summary>
    public string Method { get; }

    /// <summary>Stable, or sent only to clients that opted in to the experimental API.</summary>
    public CodexStability Stability { get; }

    /// <summary>
    /// The oldest checked-in codex schema (build/schema) that has the server request: the floor version for what every supported
    /// codex has, else the first release we generated from that had it. An older codex does not have it.
    /// </summary>
    public CodexVersion Since { get; }

    /// <summary>True when the oldest supported codex (<see cref="CodexProtocolVersions.Floor"/>) has the server request.</summary>
    public bool AvailableInFloorVersion => Since <= CodexProtocolVersions.Floor;

    /// <summary>The params type.</summary>
    public abstract Type ParamsType { get; }

    /// <summary>The response type.</summary>
    public abstract Type ResponseType { get; }

    /// <inheritdoc />
    public override string ToString() => Method;
}

/// <summary>A typed server request: read it with <c>CodexInboundMessage.ReadParams</c>, answer with <c>CodexServerReply.FromResult</c>.</summary>
/// <typeparam name="TParams">The params type.</typeparam>
/// <typeparam name="TResponse">The response type.</typeparam>
public sealed class CodexServerRequestType<TParams, TResponse> : CodexServerRequestType
{
    internal CodexServerRequestType(string method, CodexStability stability, string since)
        : base(method, stability, since)
    {
    }

    /// <inheritdoc />
    public override Type ParamsType => typeof(TParams);

    /// <inheritdoc />
    public override Type ResponseType => typeof(TResponse);
}
