using System.Text.Json.Serialization;

namespace CodexRuntime;

/// <summary>An answer to an approval request.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexApprovalDecision>))]
public enum CodexApprovalDecision
{
    /// <summary>Run the command / apply the change, this once.</summary>
    Accept,

    /// <summary>Run it, and do not ask again for the same kind of action in this session.</summary>
    AcceptForSession,

    /// <summary>Do not run it; the turn goes on without it.</summary>
    Decline,

    /// <summary>Do not run it, and interrupt the turn.</summary>
    Cancel,
}
