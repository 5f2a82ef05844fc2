using System.Text.Json.Serialization;
using CodexRuntime.Protocol;

namespace CodexRuntime;

/// <summary>When codex asks before it acts (codex's <c>approvalPolicy</c>). Who answers is <see cref="CodexApprovalHandler"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexApprovalPolicy>))]
public enum CodexApprovalPolicy
{
    /// <summary>Default: codex never asks; what the sandbox does not allow fails.</summary>
    Never,

    /// <summary>The model decides when to ask (e.g. to run a command outside the sandbox).</summary>
    OnRequest,

    /// <summary>codex asks before running anything not known to be safe.</summary>
    Untrusted,

    /// <summary>codex asks after a sandboxed command failed (codex 0.104.0; newer versions may refuse it).</summary>
    OnFailure,
}

/// <summary>Maps <see cref="CodexApprovalPolicy"/> to the wire type.</summary>
internal static class CodexApprovalPolicyExtensions
{
    public static AskForApproval ToWire(this CodexApprovalPolicy policy) => policy switch
    {
        CodexApprovalPolicy.Never => new AskForApproval.Never(),
        CodexApprovalPolicy.OnRequest => new AskForApproval.OnRequest(),
        CodexApprovalPolicy.Untrusted => new AskForApproval.Untrusted(),
        CodexApprovalPolicy.OnFailure => new AskForApproval.OnFailure(),
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown approval policy."),
    };
}
