using CodexRuntime.Protocol;
using CodexRuntime.ServerRequests;

namespace CodexRuntime;

/// <summary>
/// codex asks a session for approval: to run a command or to apply a file change. Answer once with
/// <see cref="RespondAsync"/>; the first answer wins and later ones return false.
/// </summary>
public sealed class CodexApprovalRequest
{
    internal CodexApprovalRequest(CodexServerRequest request)
    {
        Request = request;
        if (request.Is(CodexServerRequests.ItemCommandExecutionRequestApproval))
        {
            var command = request.ReadParams(CodexServerRequests.ItemCommandExecutionRequestApproval);
            Kind = CodexApprovalKind.Command;
            Command = command.Command;
            Cwd = command.Cwd;
            Reason = command.Reason;
        }
        else
        {
            var change = request.ReadParams(CodexServerRequests.ItemFileChangeRequestApproval);
            Kind = CodexApprovalKind.FileChange;
            Reason = change.Reason;
            GrantRoot = change.GrantRoot;
        }
    }

    /// <summary>Command or file change.</summary>
    public CodexApprovalKind Kind { get; }

    /// <summary>The thread.</summary>
    public string? ThreadId => Request.ThreadId;

    /// <summary>The turn.</summary>
    public string? TurnId => Request.TurnId;

    /// <summary>The item (the command or the file change) the approval is for.</summary>
    public string? ItemId => Request.ItemId;

    /// <summary>The command line (commands only).</summary>
    public string? Command { get; }

    /// <summary>Where the command would run (commands only).</summary>
    public string? Cwd { get; }

    /// <summary>Why codex (the model) asks, when it says.</summary>
    public string? Reason { get; }

    /// <summary>The folder a file change asks write access to, when it asks for one.</summary>
    public string? GrantRoot { get; }

    /// <summary>When the runtime answers by policy if nobody has.</summary>
    public DateTimeOffset Deadline => Request.Deadline;

    /// <summary>True once an answer was written.</summary>
    public bool IsAnswered => Request.IsAnswered;

    /// <summary>Cancelled when codex resolves the request itself (the turn ended) or the deadline passes.</summary>
    public CancellationToken Abandoned => Request.Abandoned;

    /// <summary>The underlying server request (raw params, context).</summary>
    public CodexServerRequest Request { get; }

    /// <summary>Answers the request.</summary>
    /// <param name="decision">The answer.</param>
    /// <returns>True when this answer was written; false when the request was already answered or abandoned.</returns>
    public Task<bool> RespondAsync(CodexApprovalDecision decision) => Kind == CodexApprovalKind.Command
        ? Request.RespondAsync(CodexServerRequests.ItemCommandExecutionRequestApproval, new CommandExecutionRequestApprovalResponse { Decision = ToCommandDecision(decision) })
        : Request.RespondAsync(CodexServerRequests.ItemFileChangeRequestApproval, new FileChangeRequestApprovalResponse { Decision = ToFileChangeDecision(decision) });

    /// <summary>Shorthand for <see cref="RespondAsync"/> with <see cref="CodexApprovalDecision.Accept"/>.</summary>
    /// <returns>True when this answer was written.</returns>
    public Task<bool> AcceptAsync() => RespondAsync(CodexApprovalDecision.Accept);

    /// <summary>Shorthand for <see cref="RespondAsync"/> with <see cref="CodexApprovalDecision.Decline"/>.</summary>
    /// <returns>True when this answer was written.</returns>
    public Task<bool> DeclineAsync() => RespondAsync(CodexApprovalDecision.Decline);

    /// <inheritdoc />
    public override string ToString() => $"{Kind} approval for item {ItemId} (turn {TurnId})";

    internal static bool IsApproval(CodexServerRequest request) =>
        request.Is(CodexServerRequests.ItemCommandExecutionRequestApproval) || request.Is(CodexServerRequests.ItemFileChangeRequestApproval);

    internal static CommandExecutionApprovalDecision ToCommandDecision(CodexApprovalDecision decision) => decision switch
    {
        CodexApprovalDecision.Accept => new CommandExecutionApprovalDecision.Accept(),
        CodexApprovalDecision.AcceptForSession => new CommandExecutionApprovalDecision.AcceptForSession(),
        CodexApprovalDecision.Cancel => new CommandExecutionApprovalDecision.Cancel(),
        _ => new CommandExecutionApprovalDecision.Decline(),
    };

    internal static FileChangeApprovalDecision ToFileChangeDecision(CodexApprovalDecision decision) => decision switch
    {
        CodexApprovalDecision.Accept => FileChangeApprovalDecision.Accept,
        CodexApprovalDecision.AcceptForSession => FileChangeApprovalDecision.AcceptForSession,
        CodexApprovalDecision.Cancel => FileChangeApprovalDecision.Cancel,
        _ => FileChangeApprovalDecision.Decline,
    };
}
