using CodexRuntime.Interception;
using CodexRuntime.Protocol;

namespace CodexRuntime.Sessions;

/// <summary>
/// The interceptors of one turn: PreToolUse for its approval requests, PostToolUse for each command or file change it
/// completes (on a task of its own, never on the reader loop), and PostTurn once at its end, after those hooks.
/// </summary>
internal sealed class TurnInterception
{
    /// <summary>How much longer than the interceptor timeout PostTurn waits for the tool hooks of the turn's items.</summary>
    private static readonly TimeSpan ToolHookGrace = TimeSpan.FromSeconds(2);

    private readonly CodexSession _session;
    private readonly string _threadId;
    private readonly string _turnId;
    private readonly CodexRunInterception _interception;
    private readonly Task _toolHooks;

    /// <param name="session">The session the turn runs in (its cwd, model and client settings go into each hook's context).</param>
    /// <param name="threadId">The thread.</param>
    /// <param name="turnId">The turn.</param>
    /// <param name="interception">The run's interceptors.</param>
    /// <param name="tools">The routed queue of completed items for PostToolUse (when there are interceptors); owned from here.</param>
    /// <param name="abandon">Cancelled when the turn is let go: PostToolUse stops.</param>
    public TurnInterception(CodexSession session, string threadId, string turnId, CodexRunInterception interception, (TurnEventQueue Queue, IDisposable Route)? tools, CancellationToken abandon)
    {
        _session = session;
        _threadId = threadId;
        _turnId = turnId;
        _interception = interception;
        _toolHooks = tools is { } t ? Task.Run(() => RunToolHooksAsync(t.Queue, t.Route, abandon)) : Task.CompletedTask;
    }

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

    /// <summary>Waits (bounded) for the tool hooks of the turn's items, then calls PostTurn.</summary>
    public async Task PostTurnAsync(PromptRunResult? result, Exception? error)
    {
        if (_interception.IsEmpty)
        {
            return;
        }

        try
        {
            await _toolHooks.WaitAsync(_session.Client.Config.InterceptorTimeout + ToolHookGrace, _session.Client.Runtime.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Recorded by the interceptor calls themselves; the turn's own end is not held up longer.
        }

        await _interception.PostAsync(Context(CodexRunPhase.PostTurn, result: result, error: error), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The result with what the interceptors did, when there are any.</summary>
    public PromptRunResult WithReport(PromptRunResult result) => _interception.IsEmpty ? result : result with { Interceptions = _interception.Report };

    /// <summary>PostToolUse for every command or file change this turn completes, until the turn ends or is let go.</summary>
    private async Task RunToolHooksAsync(TurnEventQueue tools, IDisposable route, CancellationToken abandon)
    {
        try
        {
            while (await tools.WaitToReadAsync(abandon).ConfigureAwait(false))
            {
                while (tools.TryRead(out var entry))
                {
                    var message = entry.Message!;
                    if (message.TurnId != _turnId)
                    {
                        continue;
                    }

                    if (message.Is(CodexNotifications.TurnCompleted))
                    {
                        return;
                    }

                    var tool = message.ReadParams(CodexNotifications.ItemCompleted).Item switch
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
            }
        }
        catch (OperationCanceledException)
        {
            // The turn was let go.
        }
        finally
        {
            route.Dispose();
        }
    }

    private CodexRunContext Context(CodexRunPhase phase, CodexToolUse? tool = null, PromptRunResult? result = null, Exception? error = null) =>
        _interception.Context(phase, _session.Config.Cwd, _threadId, _turnId, null, _session.Profile.Model, result: result, error: error, tool: tool);

    /// <summary>codex's spelling of an enum member name (<c>InProgress</c> → <c>inProgress</c>).</summary>
    private static string WireName(string member) => member.Length == 0 ? member : char.ToLowerInvariant(member[0]) + member[1..];
}
