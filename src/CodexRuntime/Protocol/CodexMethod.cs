namespace CodexRuntime.Protocol;

/// <summary>A client request in the catalog (<see cref="CodexMethods"/>): its name, stability and availability.</summary>
public abstract class CodexMethod
{
    private protected CodexMethod(string name, CodexStability stability, string since, IReadOnlyList<string> experimentalFields)
    {
        Name = name;
        Stability = stability;
        Since = CodexVersion.Parse(since);
        ExperimentalFields = experimentalFields;
    }

    /// <summary>The JSON-RPC method, e.g. <c>thread/start</c>.</summary>
    public string Name { get; }

    /// <summary>Stable, or experimental (needs the experimental API opt-in).</summary>
    public CodexStability Stability { get; }

    /// <summary>
    /// The oldest checked-in codex schema (build/schema) that has the method: the floor version for what every supported
    /// codex has, else the first release we generated from that had it. An older codex does not have it.
    /// </summary>
    public CodexVersion Since { get; }

    /// <summary>True when the oldest supported codex (<see cref="CodexProtocolVersions.Floor"/>) has the method.</summary>
    public bool AvailableInFloorVersion => Since <= CodexProtocolVersions.Floor;

    /// <summary>Top-level params fields that are experimental.</summary>
    public IReadOnlyList<string> ExperimentalFields { get; }

    /// <summary>The params type.</summary>
    public abstract Type ParamsType { get; }

    /// <summary>The result type.</summary>
    public abstract Type ResultType { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A typed client request: call it with <c>AppServer.CallAsync</c>.</summary>
/// <typeparam name="TParams">The params type (<see cref="CodexNoParams"/> for none).</typeparam>
/// <typeparam name="TResult">The result type.</typeparam>
public sealed class CodexMethod<TParams, TResult> : CodexMethod
{
    internal CodexMethod(string name, CodexStability stability, string since, IReadOnlyList<string> experimentalFields)
        : base(name, stability, since, experimentalFields)
    {
    }

    /// <inheritdoc />
    public override Type ParamsType => typeof(TParams);

    /// <inheritdoc />
    public override Type ResultType => typeof(TResult);
}
