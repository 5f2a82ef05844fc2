using CodexRuntime.Safety;

namespace CodexRuntime.Protocol;

// The requests the privileged-escalation rule checks describe themselves from their typed members (hand-written
// halves of the generated records).

/// <summary>The rule's view of a <c>thread/start</c>.</summary>
public sealed partial record ThreadStartParams : ISandboxRequestSource
{
    SandboxRequest? ISandboxRequestSource.ToSandboxRequest() =>
        SandboxRequest.Overrides(AdditionalProperties) ? null : SandboxRequestOf.Thread(Sandbox, ApprovalPolicy, Config, Cwd);
}

/// <summary>The rule's view of a <c>thread/resume</c>.</summary>
public sealed partial record ThreadResumeParams : ISandboxRequestSource
{
    SandboxRequest? ISandboxRequestSource.ToSandboxRequest() =>
        SandboxRequest.Overrides(AdditionalProperties) ? null : SandboxRequestOf.Thread(Sandbox, ApprovalPolicy, Config, Cwd);
}

/// <summary>The rule's view of a <c>thread/fork</c>.</summary>
public sealed partial record ThreadForkParams : ISandboxRequestSource
{
    SandboxRequest? ISandboxRequestSource.ToSandboxRequest() =>
        SandboxRequest.Overrides(AdditionalProperties) ? null : SandboxRequestOf.Thread(Sandbox, ApprovalPolicy, Config, Cwd);
}

/// <summary>The rule's view of a <c>turn/start</c>.</summary>
public sealed partial record TurnStartParams : ISandboxRequestSource
{
    SandboxRequest? ISandboxRequestSource.ToSandboxRequest() =>
        SandboxRequest.Overrides(AdditionalProperties) ? null : SandboxRequestOf.Policy(SandboxPolicy, ApprovalPolicy, Cwd);
}

/// <summary>The rule's view of a <c>command/exec</c>.</summary>
public sealed partial record CommandExecParams : ISandboxRequestSource
{
    SandboxRequest? ISandboxRequestSource.ToSandboxRequest() =>
        SandboxRequest.Overrides(AdditionalProperties) ? null : SandboxRequestOf.Policy(SandboxPolicy, null, Cwd);
}

/// <summary>Maps the typed members of those requests to the rule's view, with the wire names the rule reports.</summary>
internal static class SandboxRequestOf
{
    public static SandboxRequest Thread(SandboxMode? sandbox, AskForApproval? approval, IReadOnlyDictionary<string, System.Text.Json.JsonElement>? config, string? cwd) => new(
        sandbox is { } mode ? ModeName(mode) ?? "unrecognized" : SandboxRequest.ConfigSandbox(config),
        approval is null ? SandboxRequest.ConfigApproval(config) ?? ApprovalSetting.NotSet : Approval(approval),
        !string.IsNullOrEmpty(cwd));

    /// <summary>The wire name of a sandbox mode (<c>read-only</c>, ...); null for <see cref="SandboxMode.Unrecognized"/>.</summary>
    public static string? ModeName(SandboxMode mode) => mode switch
    {
        SandboxMode.ReadOnly => "read-only",
        SandboxMode.WorkspaceWrite => "workspace-write",
        SandboxMode.DangerFullAccess => "danger-full-access",
        _ => null,
    };

    public static SandboxRequest Policy(SandboxPolicy? policy, AskForApproval? approval, string? cwd) => new(
        policy switch
        {
            null => null,
            ReadOnlySandboxPolicy => "readOnly",
            WorkspaceWriteSandboxPolicy => "workspaceWrite",
            DangerFullAccessSandboxPolicy => "dangerFullAccess",
            ExternalSandboxSandboxPolicy => "externalSandbox",
            UnrecognizedSandboxPolicy { Raw: var raw } when raw.TryGetProperty("type", out var type) && type.ValueKind == System.Text.Json.JsonValueKind.String => type.GetString(),
            _ => "unrecognized",
        },
        approval is null ? ApprovalSetting.NotSet : Approval(approval),
        !string.IsNullOrEmpty(cwd) || policy is WorkspaceWriteSandboxPolicy { WritableRoots.Count: > 0 });

    private static ApprovalSetting Approval(AskForApproval approval) =>
        approval is AskForApproval.Never ? ApprovalSetting.Never : ApprovalSetting.Asks;
}
