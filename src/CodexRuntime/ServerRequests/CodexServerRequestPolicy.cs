using System.Text.Json.Serialization;

namespace CodexRuntime.ServerRequests;

/// <summary>How a server request is answered when no handler answers it: none is registered, or its deadline passed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexServerRequestPolicy>))]
public enum CodexServerRequestPolicy
{
    /// <summary>Default. Approvals are declined (the turn goes on without the action); requests without a decline form get a JSON-RPC error.</summary>
    Decline,

    /// <summary>Approvals are answered with cancel (codex interrupts the turn); requests without a cancel form get a JSON-RPC error.</summary>
    Cancel,

    /// <summary>Every request gets a JSON-RPC error (codex treats an error reply to an approval as a decline).</summary>
    Error,
}
