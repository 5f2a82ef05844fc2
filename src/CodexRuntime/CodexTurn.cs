using System.Runtime.CompilerServices;
using CodexRuntime.Interception;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using CodexRuntime.Sessions;

namespace CodexRuntime;

/// <summary>
/// A running turn of a <see cref="CodexSession"/>. From <see cref="CodexSession.AskStreamingAsync"/> it is also the
/// stream of its typed events (<c>await foreach</c>, once), ending with <see cref="TurnCompletedEvent"/>. Leaving the
/// stream (or disposing the turn) before the turn ended interrupts it (best effort) and releases everything.
/// </summary>
/// <remarks>
/// The result (<see cref="GetResultAsync"/>) comes from the runtime's state projection, not from the events, so it is
/// complete even when a slow reader lost events. The run timeout of the profile applies from the start: when it
/// passes, the turn is interrupted and the result fails with <see cref="CodexRunTimeoutException"/>.
/// </remarks>
public sealed class CodexTurn : IAsyncEnumerable<CodexTurnEvent>, IAsyncDisposable
{
    /// <summary>How much longer than the interceptor timeout PostTurn waits for the tool hooks of the turn's items.</summary>
    private static readonly TimeSpan ToolHookGrace = TimeSpan.FromSeconds(2);

    private readonly CodexSession _session;
    private readonly TurnEventQueue? _events;
    private readonly IDisposable? _eventsRoute;
    private readonly IDisposable? _toolsRoute;
    private readonly CancellationTokenSource _abandon = new();
    private readonly Task<PromptRunResult> _outcome;
    private readonly CodexRunInterception _interception;
    private readonly Task _toolHooks;
    private int _enumerated;
    private int _disposed;

    /// <param name="session">The session the turn runs in.</param>
    /// <param name="threadId">The thread.</param>
    /// <param name="turnId">The turn codex started.</param>
    /// <param name="timeout">The run timeout.</param>
    /// <param name="events">The turn's routed event queue (streaming turns), opened before <c>turn/start</c>; the turn owns it from here.</param>
    /// <param name="tools">The routed queue of completed items for PostToolUse (when there are interceptors), opened before <c>turn/start</c>.</param>
    /// <param name="interception">The run's interceptors.</param>
    internal CodexTurn(CodexSession session, string threadId, string turnId, TimeSpan timeout, (TurnEventQueue Queue, IDisposable Route)? events, (TurnEventQueue Queue, IDisposable Route)? tools, CodexRunInterception interception)
    {
        _session = session;
        ThreadId = threadId;
        TurnId = turnId;
        Timeout = timeout;
        _events = events?.Queue;
        _eventsRoute = events?.Route;
        _toolsRoute = tools?.Route;
        _interception = interception;
        // PostToolUse runs on its own task, never on the reader loop; the result waits for it.
        _toolHooks = tools is { } t ? Task.Run(() => RunToolHooksAsync(t.Queue)) : Task.CompletedTask;
        _outcome = WatchAsync();
    }

    /// <summary>The thread.</summary>
    public string ThreadId { get; }

    /// <summary>The turn.</summary>
    public string TurnId { get; }

    /// <summary>The run timeout that applies to this turn.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>True once the turn ended (or its run failed).</summary>
    public bool IsCompleted => _outcome.IsCompleted;

    /// <summary>Ends when the turn ended: its result whatever the status, or the run's failure (timeout, codex gone).</summary>
    internal Task<PromptRunResult> Outcome => _outcome;

    /// <summary>Waits for the turn to end and returns what it produced.</summary>
    /// <param name="cancellationToken">Stops waiting (the turn goes on; dispose the turn or call <see cref="InterruptAsync"/> to stop it).</param>
    /// <returns>The result of a completed turn with assistant text.</returns>
    /// <exception cref="CodexRunFailedException">codex failed the turn.</exception>
    /// <exception cref="CodexRunInterruptedException">The turn was interrupted.</exception>
    /// <exception cref="CodexEmptyResponseException">The turn completed without assistant text.</exception>
    /// <exception cref="CodexRunTimeoutException">The run timeout passed (the turn was interrupted).</exception>
    /// <exception cref="CodexTransportClosedException">codex exited while the turn ran.</exception>
    public async Task<PromptRunResult> GetResultAsync(CancellationToken cancellationToken = default)
    {
        var result = await _outcome.WaitAsync(cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            TurnStatus.Completed when result.Text.Length == 0 => throw new CodexEmptyResponseException(result),
            TurnStatus.Completed => result,
            TurnStatus.Interrupted => throw new CodexRunInterruptedException(result),
            _ => throw new CodexRunFailedException(result),
        };
    }

    /// <summary>Adds input to this turn while it runs (<c>turn/steer</c>).</summary>
    /// <param name="input">What to add.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>A task that completes when codex accepted the input.</returns>
    public Task SteerAsync(CodexPrompt input, CancellationToken cancellationToken = default) => _session.SteerAsync(this, input, cancellationToken);

    /// <summary>Asks codex to stop this turn (<c>turn/interrupt</c>); the turn then ends as interrupted.</summary>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>A task that completes when codex accepted the request.</returns>
    public Task InterruptAsync(CancellationToken cancellationToken = default) => _session.InterruptAsync(this, cancellationToken);

    /// <summary>The turn's events, in order, ending with <see cref="TurnCompletedEvent"/>. Can be read once.</summary>
    /// <param name="cancellationToken">Stops reading (leaving the stream interrupts a turn that still runs).</param>
    /// <returns>The enumerator.</returns>
    /// <exception cref="InvalidOperationException">The turn came from <c>AskAsync</c> (no event stream), or the stream was already read.</exception>
    public IAsyncEnumerator<CodexTurnEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (_events is null)
        {
            throw new InvalidOperationException("This turn has no event stream: start it with CodexSession.AskStreamingAsync to read its events.");
        }

        if (Interlocked.Exchange(ref _enumerated, 1) == 1)
        {
            throw new InvalidOperationException("A turn's event stream can be read once; it is already being (or was) read.");
        }

        return ReadEventsAsync(_events, cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>Interrupts the turn if it still runs (best effort), answers approvals nobody read by policy, and releases the event stream.</summary>
    /// <returns>A task that completes when released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_outcome.IsCompleted)
        {
            await _session.TryInterruptAsync(this).ConfigureAwait(false);
        }

        _eventsRoute?.Dispose();
        _events?.Complete();
        await AnswerUnreadApprovalsAsync().ConfigureAwait(false);
        _abandon.Cancel();
        try
        {
            await _outcome.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CodexException or OperationCanceledException)
        {
            // The caller did not ask for the result; disposing only releases.
        }

        _abandon.Dispose();
    }

    /// <summary>PreToolUse for an approval request of this turn: true when an interceptor blocked it (the caller declines).</summary>
    internal async Task<bool> BlockedByPreToolUseAsync(CodexApprovalRequest approval)
    {
        if (_interception.IsEmpty)
        {
            return false;
        }

        var tool = new CodexToolUse(approval.Kind == CodexApprovalKind.Command ? "commandExecution" : "fileChange", approval.ItemId, approval.Command, approval.Cwd, approval.Reason);
        var context = _interception.Context(CodexRunPhase.PreToolUse, _session.Config.Cwd, ThreadId, TurnId, null, _session.Profile.Model, tool: tool);
        return await _interception.PreToolAsync(context, approval.Abandoned).ConfigureAwait(false) is not null;
    }

    /// <summary>Hands a streaming caller an approval request; false for a turn without a stream, or one that no longer takes any.</summary>
    internal bool TryOffer(CodexApprovalRequest approval) => _events?.TryOffer(approval) ?? false;

    private async Task<PromptRunResult> WatchAsync()
    {
        var runtime = _session.Client.Runtime;
        try
        {
            PromptRunResult result;
            try
            {
                var turn = await runtime.WaitForTurnAsync(ThreadId, TurnId, Timeout, _abandon.Token).ConfigureAwait(false);
                result = PromptRunResult.FromSnapshot(turn);
            }
            catch (CodexTimeoutException) when (!_abandon.IsCancellationRequested)
            {
                // No turn/completed may ever come: the stream ends with the timeout once it drained what came.
                _events?.Complete();
                var ended = await _session.TryInterruptAsync(this).ConfigureAwait(false);
                var partial = ended is null ? null : PromptRunResult.FromSnapshot(ended);
                var timedOut = new CodexRunTimeoutException(ThreadId, TurnId, Timeout, partial?.Status == TurnStatus.Interrupted, partial);
                await PostTurnAsync(partial, timedOut).ConfigureAwait(false);
                throw new CodexRunTimeoutException(ThreadId, TurnId, Timeout, timedOut.Interrupted, partial is null ? null : partial with { Interceptions = _interception.Report });
            }
            catch (CodexException ex)
            {
                _events?.Complete();
                await PostTurnAsync(null, ex).ConfigureAwait(false);
                throw;
            }

            await PostTurnAsync(result, null).ConfigureAwait(false);
            return _interception.IsEmpty ? result : result with { Interceptions = _interception.Report };
        }
        finally
        {
            // A normal end leaves the queue open: turn/completed is routed to it right after the state applied it.
            _session.Release(this);
        }
    }

    /// <summary>Waits (bounded) for the tool hooks of the turn's items, then calls PostTurn.</summary>
    private async Task PostTurnAsync(PromptRunResult? result, Exception? error)
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

        var context = _interception.Context(CodexRunPhase.PostTurn, _session.Config.Cwd, ThreadId, TurnId, null, _session.Profile.Model, result: result, error: error);
        await _interception.PostAsync(context, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>PostToolUse for every command or file change this turn completes, until the turn ends or codex is gone.</summary>
    private async Task RunToolHooksAsync(TurnEventQueue tools)
    {
        try
        {
            while (await tools.WaitToReadAsync(_abandon.Token).ConfigureAwait(false))
            {
                while (tools.TryRead(out var entry))
                {
                    var message = entry.Message!;
                    if (message.TurnId != TurnId)
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
                        var context = _interception.Context(CodexRunPhase.PostToolUse, _session.Config.Cwd, ThreadId, TurnId, null, _session.Profile.Model, tool: tool);
                        await _interception.PostAsync(context, _abandon.Token).ConfigureAwait(false);
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
            _toolsRoute?.Dispose();
        }
    }

    /// <summary>codex's spelling of an enum member name (<c>InProgress</c> → <c>inProgress</c>).</summary>
    private static string WireName(string member) => member.Length == 0 ? member : char.ToLowerInvariant(member[0]) + member[1..];

    private async IAsyncEnumerable<CodexTurnEvent> ReadEventsAsync(TurnEventQueue events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CodexApprovalRequest? offered = null;
        long reportedLost = 0;
        try
        {
            // One queue in wire order: it ends with this turn's turn/completed, or completes when the run failed
            // (timeout, codex gone) and then the outcome's error ends the stream.
            var ended = false;
            while (!ended && await events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (events.TryRead(out var entry))
                {
                    if (events.Lost > reportedLost)
                    {
                        var lost = events.Lost;
                        yield return new EventsLostEvent(ThreadId, TurnId, lost - reportedLost);
                        reportedLost = lost;
                    }

                    if (entry.Approval is { } approval)
                    {
                        offered = approval;
                        yield return new ApprovalRequestedEvent(ThreadId, TurnId, approval);
                        // The reader asked for the next event without answering: the profile's handler decides now
                        // instead of at the deadline (an answered request stays as answered).
                        offered = null;
                        await _session.AnswerByPolicyAsync(approval).ConfigureAwait(false);
                        continue;
                    }

                    var message = entry.Message!;
                    if (message.TurnId is { } turnId && turnId != TurnId)
                    {
                        continue;
                    }

                    if (message.Is(CodexNotifications.TurnCompleted))
                    {
                        ended = true;
                        break;
                    }

                    if (Map(message) is { } mapped)
                    {
                        yield return mapped;
                    }
                }
            }

            if (events.Lost > reportedLost)
            {
                yield return new EventsLostEvent(ThreadId, TurnId, events.Lost - reportedLost);
            }

            // The state applied turn/completed before it was routed here, so the outcome is already (or about to be) set.
            var result = await _outcome.ConfigureAwait(false);
            yield return new TurnCompletedEvent(ThreadId, TurnId, result);
        }
        finally
        {
            if (offered is not null)
            {
                await _session.AnswerByPolicyAsync(offered).ConfigureAwait(false);
            }

            await DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task AnswerUnreadApprovalsAsync()
    {
        while (_events is not null && _events.TryRead(out var unread))
        {
            if (unread.Approval is { } approval)
            {
                await _session.AnswerByPolicyAsync(approval).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The typed event of a routed message: deltas from the classifier's slice, items typed at start and completion.</summary>
    private CodexTurnEvent? Map(CodexInboundMessage message)
    {
        switch (message.Method)
        {
            case "item/agentMessage/delta":
                return new MessageDeltaEvent(ThreadId, TurnId, message.ItemId ?? string.Empty, message.DeltaText() ?? string.Empty);
            case "item/commandExecution/outputDelta":
                return new CommandOutputEvent(ThreadId, TurnId, message.ItemId ?? string.Empty, message.DeltaText() ?? string.Empty);
            case "item/fileChange/outputDelta":
                return new FileChangeOutputEvent(ThreadId, TurnId, message.ItemId ?? string.Empty, message.DeltaText() ?? string.Empty);
            case "item/started":
                return new ItemStartedEvent(ThreadId, TurnId, message.ReadParams(CodexNotifications.ItemStarted).Item);
            case "item/completed":
                return new ItemCompletedEvent(ThreadId, TurnId, message.ReadParams(CodexNotifications.ItemCompleted).Item);
            case "turn/plan/updated":
                var plan = message.ReadParams(CodexNotifications.TurnPlanUpdated);
                return new PlanUpdatedEvent(ThreadId, TurnId, plan.Explanation, plan.Plan);
            case "turn/diff/updated":
                return new DiffUpdatedEvent(ThreadId, TurnId, message.ReadParams(CodexNotifications.TurnDiffUpdated).Diff);
            case "thread/tokenUsage/updated":
                return new UsageUpdatedEvent(ThreadId, TurnId, message.ReadParams(CodexNotifications.ThreadTokenUsageUpdated).TokenUsage);
            default:
                return null;
        }
    }
}
