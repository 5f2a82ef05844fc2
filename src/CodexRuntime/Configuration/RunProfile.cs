using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.Protocol.Names;
using CodexRuntime.ServerRequests;

namespace CodexRuntime;

/// <summary>
/// How runs and sessions run: model, effort, approval policy, sandbox, privileged-escalation opt-in, timeout, output
/// schema, attachments and who answers approvals. The defaults are the safe defaults: approval <c>never</c>, sandbox
/// read-only, effort <c>medium</c>, timeout 120 s, no privileged escalation.
/// </summary>
/// <remarks>
/// A sandbox other than read-only needs all three of <see cref="AllowPrivilegedEscalation"/>, an
/// <see cref="ApprovalPolicy"/> other than <see cref="CodexApprovalPolicy.Never"/>, and a scope (the session's cwd,
/// always sent, or <see cref="WritableRoots"/>); otherwise the run fails before anything is sent (see
/// <see cref="Safety.PrivilegedEscalationRule"/>).
/// </remarks>
public sealed class RunProfile
{
    private List<string> _writableRoots = [];
    private List<CodexAttachment> _attachments = [];
    private List<ICodexRunInterceptor> _interceptors = [];
    private List<string> _turnServerRequests = [];

    /// <summary>The server requests <see cref="TurnServerRequests"/> may name: those of a thread's turn that are not command or file-change approvals.</summary>
    private static readonly string[] TurnServerRequestMethods =
    [
        CodexServerRequests.ItemPermissionsRequestApproval.Method,
        CodexServerRequests.ItemToolRequestUserInput.Method,
        CodexServerRequests.McpServerElicitationRequest.Method,
        CodexServerRequests.ItemToolCall.Method,
    ];

    /// <summary>The model; codex's configured default when null.</summary>
    public string? Model { get; set; }

    /// <summary>Reasoning effort (<c>none</c>, <c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c>, <c>xhigh</c>); <c>medium</c> by default, codex's default when null.</summary>
    public string? Effort { get; set; } = "medium";

    /// <summary>When codex asks before acting; <see cref="CodexApprovalPolicy.Never"/> by default.</summary>
    public CodexApprovalPolicy ApprovalPolicy { get; set; } = CodexApprovalPolicy.Never;

    /// <summary>The sandbox commands run in; <see cref="SandboxMode.ReadOnly"/> by default.</summary>
    public SandboxMode Sandbox { get; set; } = SandboxMode.ReadOnly;

    /// <summary>Extra folders a <see cref="SandboxMode.WorkspaceWrite"/> sandbox may write (besides the cwd).</summary>
    public IList<string> WritableRoots => _writableRoots;

    /// <summary>Whether sandboxed commands may use the network; codex's default when null.</summary>
    public bool? NetworkAccess { get; set; }

    /// <summary>The opt-in to a sandbox other than read-only. Set it with <see cref="AllowPrivilegedEscalation"/> in code; settable for configuration binding.</summary>
    public bool PrivilegedEscalation { get; set; }

    /// <summary>How long one run (turn) may take before it is interrupted and fails with a timeout error; 120 s by default.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>A JSON schema the final answer must follow (codex's <c>outputSchema</c>), for every turn of this profile.</summary>
    public JsonElement? OutputSchema { get; set; }

    /// <summary>Attachments sent with every prompt of this profile (per-prompt ones go in <see cref="CodexPrompt.Attachments"/>).</summary>
    public IList<CodexAttachment> Attachments => _attachments;

    /// <summary>Answers approval requests nothing else answered; <see cref="CodexApprovalHandler.DeclineAll"/> by default.</summary>
    public CodexApprovalHandler Approvals { get; set; } = CodexApprovalHandler.DeclineAll;

    /// <summary>A typed handler for command approvals of sessions using this profile; wins over <see cref="Approvals"/> and the event stream.</summary>
    public ICommandApprovalHandler? CommandApproval { get; set; }

    /// <summary>A typed handler for file-change approvals of sessions using this profile; wins over <see cref="Approvals"/> and the event stream.</summary>
    public IFileChangeApprovalHandler? FileChangeApproval { get; set; }

    /// <summary>
    /// The server requests besides command and file-change approvals, by method (<c>item/permissions/requestApproval</c>,
    /// <c>item/tool/requestUserInput</c>, <c>mcpServer/elicitation/request</c>, <c>item/tool/call</c>), that a streaming
    /// turn of this profile takes onto its event stream as <see cref="ServerRequestEvent"/>s, in wire order. Empty by
    /// default: those requests go to the runtime's streams, typed handlers and policy. Requests that come while no turn
    /// runs, and those of turns without a stream (<c>AskAsync</c>), always do.
    /// </summary>
    public IList<string> TurnServerRequests => _turnServerRequests;

    /// <summary>
    /// Interceptors for the runs of this profile only (run-scoped); they follow the client's global ones, and one with the
    /// same name as a global one replaces it. See <see cref="ICodexRunInterceptor"/>.
    /// </summary>
    public IList<ICodexRunInterceptor> Interceptors => _interceptors;

    /// <summary>Opts in to a sandbox other than read-only (still needs an approval policy other than never and a scope).</summary>
    /// <returns>This profile.</returns>
    public RunProfile AllowPrivilegedEscalation()
    {
        PrivilegedEscalation = true;
        return this;
    }

    /// <summary>A copy that can be changed without touching this one (lists are copied; handlers are shared).</summary>
    /// <returns>The copy.</returns>
    public RunProfile Clone()
    {
        var copy = (RunProfile)MemberwiseClone();
        copy._writableRoots = [.. _writableRoots];
        copy._attachments = [.. _attachments];
        copy._interceptors = [.. _interceptors];
        copy._turnServerRequests = [.. _turnServerRequests];
        return copy;
    }

    /// <summary>Checks the profile; each problem names the setting and the fix.</summary>
    /// <returns>The problems; empty when the profile is usable.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Timeout <= TimeSpan.Zero)
        {
            problems.Add($"RunProfile.Timeout is {Timeout}; use a positive time (120 s by default) so every run has a deadline.");
        }

        if (Sandbox == SandboxMode.Unrecognized)
        {
            problems.Add("RunProfile.Sandbox is Unrecognized; use ReadOnly (default), WorkspaceWrite or DangerFullAccess.");
        }

        if (!Enum.IsDefined(ApprovalPolicy))
        {
            problems.Add($"RunProfile.ApprovalPolicy is {(int)ApprovalPolicy}; use Never (default), OnRequest, Untrusted or OnFailure.");
        }

        if (Approvals is null)
        {
            problems.Add("RunProfile.Approvals is null; use CodexApprovalHandler.DeclineAll (default), AcceptAll, AcceptForSession or Ask(...).");
        }

        // A handler under approval policy Never is never called: codex does not ask. Say so instead of staying silent.
        if (ApprovalPolicy == CodexApprovalPolicy.Never)
        {
            var handlers = new[]
            {
                CommandApproval is null ? null : nameof(CommandApproval),
                FileChangeApproval is null ? null : nameof(FileChangeApproval),
                Approvals is null || ReferenceEquals(Approvals, CodexApprovalHandler.DeclineAll) ? null : nameof(Approvals),
            }.OfType<string>().ToList();
            if (handlers.Count > 0)
            {
                problems.Add($"RunProfile.{string.Join(" and RunProfile.", handlers)} {(handlers.Count == 1 ? "is" : "are")} set, but RunProfile.ApprovalPolicy is Never, so codex never asks and {(handlers.Count == 1 ? "it is" : "they are")} never called; set ApprovalPolicy = CodexApprovalPolicy.OnRequest (or Untrusted), or remove the handler.");
            }
        }

        if (Effort is { } effort && effort.Trim().Length == 0)
        {
            problems.Add("RunProfile.Effort is blank; use low, medium (default), high, ... or null for codex's default.");
        }

        foreach (var method in TurnServerRequests.Where(m => !TurnServerRequestMethods.Contains(m, StringComparer.Ordinal)))
        {
            problems.Add($"RunProfile.TurnServerRequests has '{method}', which a turn cannot take; use {string.Join(", ", TurnServerRequestMethods)} (command and file-change approvals always reach the turn).");
        }

        var (_, unmet) = Safety.PrivilegedEscalationRule.Check(CodexMethodNames.ThreadStart, ToSandboxRequest(), PrivilegedEscalation);
        problems.AddRange(unmet.Select(condition => $"RunProfile.Sandbox is {Sandbox}, which the rule '{Safety.PrivilegedEscalationRule.Name}' refuses: {condition}."));

        return problems;
    }

    /// <summary>
    /// What a session with this profile asks of the privileged-escalation rule: checked once before codex is involved
    /// (a refused profile starts nothing); each request it sends is checked again where every request passes.
    /// </summary>
    internal Safety.SandboxRequest ToSandboxRequest() => new(
        SandboxRequestOf.ModeName(Sandbox),
        ApprovalPolicy == CodexApprovalPolicy.Never ? Safety.ApprovalSetting.Never : Safety.ApprovalSetting.Asks,
        HasScope: true);

    /// <summary>The wire sandbox policy of a turn.</summary>
    internal SandboxPolicy ToSandboxPolicy(string cwd) => Sandbox switch
    {
        SandboxMode.WorkspaceWrite => new WorkspaceWriteSandboxPolicy
        {
            WritableRoots = WritableRoots.Count == 0 ? null : WritableRoots.Select(root => Path.GetFullPath(root, cwd)).ToArray(),
            NetworkAccess = NetworkAccess,
        },
        SandboxMode.DangerFullAccess => new DangerFullAccessSandboxPolicy(),
        _ => new ReadOnlySandboxPolicy { NetworkAccess = NetworkAccess },
    };
}
