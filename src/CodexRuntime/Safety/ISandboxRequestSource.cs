namespace CodexRuntime.Safety;

/// <summary>
/// Typed params that tell the privileged-escalation rule what they ask for, so the rule reads the object the caller
/// built instead of serializing it again (implemented by the protocol's thread, turn and command params).
/// </summary>
internal interface ISandboxRequestSource
{
    /// <summary>What the request asks for, or null when its unknown members override the typed view (the rule then reads the JSON).</summary>
    SandboxRequest? ToSandboxRequest();
}
