namespace CodexRuntime.Protocol;

/// <summary>A client request in the catalog (<see cref="CodexMethods"/>): its name, stability and availability.</summary>
public abstract class CodexMethod
{
    private protected CodexMethod(string name, CodexStability stability, bool availableInFloorVersion, IReadOnlyList<string> experimentalFields)
    {
        Name = name;
        Stability = stability;
        AvailableInFloorVersion = availableInFloorVersion;
        ExperimentalFields = experimentalFields;
    }

    /// <summary>The JSON-RPC method, e.g. <c>thread/start</c>.</summary>
    public string Name { get; }

    /// <summary>Stable, or experimental (needs the experimental API opt-in).</summary>
    public CodexStability Stability { get; }

    /// <summary>
    /// True when the oldest supported codex (0.104.0) has the method. Methods that only newer versions have are known
    /// to exist from the pinned version (0.169.0) on.
    /// </summary>
    public bool AvailableInFloorVersion { get; }

    /// <summary>Top-level params fields that are experimental.</summary>
    public IReadOnlyList<string> ExperimentalFields { get; }

    /// <summary>The params type.</summary>
    public abstract Type ParamsType { get; }

    /// <summary>The result type.</summary>
    public abstract Type ResultType { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A typed client request: call it with <c>CodexConnection.CallAsync</c>.</summary>
/// <typeparam name="TParams">The params type (<see cref="CodexNoParams"/> for none).</typeparam>
/// <typeparam name="TResult">The result type.</typeparam>
public sealed class CodexMethod<TParams, TResult> : CodexMethod
{
    internal CodexMethod(string name, CodexStability stability, bool availableInFloorVersion, IReadOnlyList<string> experimentalFields)
        : base(name, stability, availableInFloorVersion, experimentalFields)
    {
    }

    /// <inheritdoc />
    public override Type ParamsType => typeof(TParams);

    /// <inheritdoc />
    public override Type ResultType => typeof(TResult);
}
