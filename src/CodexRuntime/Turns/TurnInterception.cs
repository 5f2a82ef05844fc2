using CodexRuntime.Protocol;

namespace CodexRuntime;

/// <summary>
/// The interceptors of one turn: PreToolUse for its approval requests, PostToolUse for each command or file change it
/// completes, and PostTurn once at its end. The turn's one consumer calls the tool hooks as it reads the turn's queue, so
/// they run in wire order and all of them before PostTurn, with no queue or task of their own.
/// </summary>
internal sealed class TurnInterception
{
    private readonly CodexSession _session;
    private readonly string _threadId;
    private readonly string _turnId;
    private readonly CodexRunInterception _interception;

    /// <param name="session">The session the turn runs in (its cwd, model and client settings go into each hook's context).</param>
    /// <param name="threadId">The thread.</param>
    /// <param name="turnId">The turn.</param>
    /// <param name="interception">The run's interceptors.</param>
    public TurnInterception(CodexSession session, string threadId, string turnId, CodexRunInterception interception)
    {
        _session = session;
        _threadId = threadId;
        _turnId = turnId;
        _interception = interception;
    }

    /// <summary>True when the run has no interceptors (every hook call returns at once).</summary>
    public bool IsEmpty => _interception.IsEmpty;

    /// <summary>PreToolUse for an approval request of this turn: true when an interceptor blocked it (the caller declines).</summary>
    public async Task<bool> BlockedByPreToolUseAsync(CodexApprovalRequest approval)
    {
        if (_interception.IsEmpty)
        {
            return false;
        }

        var tool = new CodexToolUse(approval.Kind == CodexApprovalKind.Command ? "commandExecution" : "fileChange", approval.ItemId, approval.Command, approval.Cwd, approval.Reason);
        var context = Context(CodexRunPhase.PreToolUse, tool: tool);
        return await _interception.PreToolAsync(context, approval.Abandoned).ConfigureAwait(false) is not null;
    }

    /// <summary>PostTurn, once the turn's consumer ran the tool hooks of its items.</summary>
    public async Task PostTurnAsync(PromptRunResult? result, Exception? error)
    {
        if (!_interception.IsEmpty)
        {
            await _interception.PostAsync(Context(CodexRunPhase.PostTurn, result: result, error: error), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The result with what the interceptors did, when there are any.</summary>
    public PromptRunResult WithReport(PromptRunResult result) => _interception.IsEmpty ? result : result with { Interceptions = _interception.Report };

    /// <summary>PostToolUse for a completed item of the turn, when it is a command or a file change.</summary>
    public async ValueTask AfterItemAsync(ThreadItem item, CancellationToken abandon)
    {
        if (_interception.IsEmpty)
        {
            return;
        }

        var tool = item switch
        {
            CommandExecutionThreadItem command => new CodexToolUse("commandExecution", command.Id, command.Command, command.Cwd, null, WireName(command.Status.ToString()), (int?)command.ExitCode, command.AggregatedOutput),
            FileChangeThreadItem change => new CodexToolUse("fileChange", change.Id, Status: WireName(change.Status.ToString())),
            _ => null,
        };
        if (tool is not null)
        {
            await _interception.PostAsync(Context(CodexRunPhase.PostToolUse, tool: tool), abandon).ConfigureAwait(false);
        }
    }

    private CodexRunContext Context(CodexRunPhase phase, CodexToolUse? tool = null, PromptRunResult? result = null, Exception? error = null) =>
        _interception.Context(phase, _session.Config.Cwd, _threadId, _turnId, null, _session.Profile.Model, result: result, error: error, tool: tool);

    /// <summary>codex's spelling of an enum member name (<c>InProgress</c> → <c>inProgress</c>).</summary>
    private static string WireName(string member) => member.Length == 0 ? member : char.ToLowerInvariant(member[0]) + member[1..];
}
