using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CodexRuntime.Errors;
using CodexRuntime.Events;
using CodexRuntime.Interception;
using CodexRuntime.Protocol;

namespace CodexRuntime.Sessions;

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
    /// <summary>How long the event stream waits for the <c>turn/completed</c> message after the state saw the turn end.</summary>
    private static readonly TimeSpan CompletionGrace = TimeSpan.FromSeconds(2);

    /// <summary>Stands in for the wait on a completed channel.</summary>
    private static readonly Task<bool> NeverReady = new TaskCompletionSource<bool>().Task;

    private readonly CodexSession _session;
    private readonly CodexEnvelopeSubscription? _events;
    private readonly Channel<CodexApprovalRequest> _approvals = Channel.CreateUnbounded<CodexApprovalRequest>();
    private readonly CancellationTokenSource _abandon = new();
    private readonly Task<PromptRunResult> _outcome;
    private readonly CodexRunInterception _interception;
    private readonly Task _toolHooks;
    private int _enumerated;
    private int _disposed;

    internal CodexTurn(CodexSession session, string threadId, string turnId, TimeSpan timeout, CodexEnvelopeSubscription? events, CodexRunInterception interception, CodexEnvelopeSubscription? tools)
    {
        _session = session;
        ThreadId = threadId;
        TurnId = turnId;
        Timeout = timeout;
        _events = events;
        _interception = interception;
        // PostToolUse runs on its own task, never on the reader loop; the result waits for it.
        _toolHooks = tools is null ? Task.CompletedTask : Task.Run(() => RunToolHooksAsync(tools));
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

    /// <summary>True for turns started with <see cref="CodexSession.AskStreamingAsync"/>: approvals go to the event stream.</summary>
    internal bool IsStreaming => _events is not null;

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

        _approvals.Writer.TryComplete();
        await AnswerUnreadApprovalsAsync().ConfigureAwait(false);
        _events?.Dispose();
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

    /// <summary>Hands a streaming caller an approval request; false when the stream no longer takes any.</summary>
    internal bool TryOffer(CodexApprovalRequest approval) => IsStreaming && _approvals.Writer.TryWrite(approval);

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
                var ended = await _session.TryInterruptAsync(this).ConfigureAwait(false);
                var partial = ended is null ? null : PromptRunResult.FromSnapshot(ended);
                var timedOut = new CodexRunTimeoutException(ThreadId, TurnId, Timeout, partial?.Status == TurnStatus.Interrupted, partial);
                await PostTurnAsync(partial, timedOut).ConfigureAwait(false);
                throw new CodexRunTimeoutException(ThreadId, TurnId, Timeout, timedOut.Interrupted, partial is null ? null : partial with { Interceptions = _interception.Report });
            }
            catch (CodexException ex)
            {
                await PostTurnAsync(null, ex).ConfigureAwait(false);
                throw;
            }

            await PostTurnAsync(result, null).ConfigureAwait(false);
            return _interception.IsEmpty ? result : result with { Interceptions = _interception.Report };
        }
        finally
        {
            _approvals.Writer.TryComplete();
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
            await _toolHooks.WaitAsync(_session.Client.Config.InterceptorTimeout + CompletionGrace, _session.Client.Runtime.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Recorded by the interceptor calls themselves; the turn's own end is not held up longer.
        }

        var context = _interception.Context(CodexRunPhase.PostTurn, _session.Config.Cwd, ThreadId, TurnId, null, _session.Profile.Model, result: result, error: error);
        await _interception.PostAsync(context, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>PostToolUse for every command or file change this turn completes, until the turn ends.</summary>
    private async Task RunToolHooksAsync(CodexEnvelopeSubscription tools)
    {
        using (tools)
        {
            try
            {
                await foreach (var envelope in tools.ReadAllAsync(_abandon.Token).ConfigureAwait(false))
                {
                    if (envelope.Kind == CodexEnvelopeKind.Lifecycle)
                    {
                        if (IsCodexGone(envelope))
                        {
                            return;
                        }

                        continue;
                    }

                    if (envelope.TurnId != TurnId)
                    {
                        continue;
                    }

                    if (envelope.Is(CodexNotifications.TurnCompleted))
                    {
                        return;
                    }

                    var tool = envelope.ReadParams(CodexNotifications.ItemCompleted).Item switch
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
            catch (OperationCanceledException)
            {
                // The turn was let go.
            }
        }
    }

    /// <summary>The lifecycle envelopes after which no event of this turn can come.</summary>
    private static bool IsCodexGone(CodexEnvelope envelope) =>
        envelope.Method is "codexRuntime/disconnected" or "codexRuntime/stopped" or "codexRuntime/faulted";

    /// <summary>codex's spelling of an enum member name (<c>InProgress</c> → <c>inProgress</c>).</summary>
    private static string WireName(string member) => member.Length == 0 ? member : char.ToLowerInvariant(member[0]) + member[1..];

    private async IAsyncEnumerable<CodexTurnEvent> ReadEventsAsync(CodexEnvelopeSubscription events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CodexApprovalRequest? offered = null;
        long reportedLost = 0;
        Task? grace = null;
        Task<bool>? eventsReady = null;
        Task<bool>? approvalsReady = null;
        var time = _session.Client.Runtime.TimeProvider;
        try
        {
            while (true)
            {
                if (offered is not null)
                {
                    // The reader moved on without answering: the profile's handler decides now instead of at the deadline.
                    await _session.AnswerByPolicyAsync(offered).ConfigureAwait(false);
                    offered = null;
                }

                if (events.DroppedCount > reportedLost)
                {
                    var lost = events.DroppedCount;
                    yield return new EventsLostEvent(ThreadId, TurnId, lost - reportedLost);
                    reportedLost = lost;
                }

                if (_approvals.Reader.TryRead(out var approval))
                {
                    offered = approval;
                    yield return new ApprovalRequestedEvent(ThreadId, TurnId, approval);
                    continue;
                }

                if (events.Reader.TryRead(out var envelope))
                {
                    if (envelope.Kind == CodexEnvelopeKind.Lifecycle)
                    {
                        // codex went away: the outcome fails with the transport error, which ends the stream.
                        if (IsCodexGone(envelope))
                        {
                            await _outcome.ConfigureAwait(false);
                        }

                        continue;
                    }

                    if (envelope.TurnId is { } turnId && turnId != TurnId)
                    {
                        continue;
                    }

                    if (envelope.Is(CodexNotifications.TurnCompleted))
                    {
                        break;
                    }

                    if (Map(envelope) is { } mapped)
                    {
                        yield return mapped;
                    }

                    continue;
                }

                if (grace is not null && grace.IsCompleted)
                {
                    break;
                }

                // Waits are kept until they complete: a fresh wait per event would pile up waiters on the idle channel.
                eventsReady ??= events.Reader.WaitToReadAsync(cancellationToken).AsTask();
                approvalsReady ??= _approvals.Reader.WaitToReadAsync(cancellationToken).AsTask();
                var first = await Task.WhenAny(eventsReady, approvalsReady, grace ?? _outcome).ConfigureAwait(false);
                if (eventsReady.IsCompleted)
                {
                    if (!await eventsReady.ConfigureAwait(false))
                    {
                        // The runtime completed the subscription (it stopped): nothing more will come.
                        break;
                    }

                    eventsReady = null;
                }

                if (approvalsReady.IsCompleted)
                {
                    // Once the turn ended no approval can come: from then on wait for events only.
                    approvalsReady = await approvalsReady.ConfigureAwait(false) ? null : NeverReady;
                }

                if (first == _outcome)
                {
                    // A failed run (timeout, codex gone) ends the stream with its error; a turn that ended normally
                    // gets a moment for its turn/completed message to arrive in order.
                    await _outcome.ConfigureAwait(false);
                    grace = Task.Delay(CompletionGrace, time, cancellationToken);
                }
            }

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
        while (_approvals.Reader.TryRead(out var unread))
        {
            await _session.AnswerByPolicyAsync(unread).ConfigureAwait(false);
        }
    }

    private CodexTurnEvent? Map(CodexEnvelope envelope)
    {
        if (envelope.Kind != CodexEnvelopeKind.Notification)
        {
            return null;
        }

        switch (envelope.Method)
        {
            case "item/agentMessage/delta":
                var message = envelope.ReadParams(CodexNotifications.ItemAgentMessageDelta);
                return new MessageDeltaEvent(ThreadId, TurnId, message.ItemId, message.Delta);
            case "item/started":
                return new ItemStartedEvent(ThreadId, TurnId, envelope.ReadParams(CodexNotifications.ItemStarted).Item);
            case "item/completed":
                return new ItemCompletedEvent(ThreadId, TurnId, envelope.ReadParams(CodexNotifications.ItemCompleted).Item);
            case "item/commandExecution/outputDelta":
                var output = envelope.ReadParams(CodexNotifications.ItemCommandExecutionOutputDelta);
                return new CommandOutputEvent(ThreadId, TurnId, output.ItemId, output.Delta);
            case "item/fileChange/outputDelta":
                var change = envelope.ReadParams(CodexNotifications.ItemFileChangeOutputDelta);
                return new FileChangeOutputEvent(ThreadId, TurnId, change.ItemId, change.Delta);
            case "turn/plan/updated":
                var plan = envelope.ReadParams(CodexNotifications.TurnPlanUpdated);
                return new PlanUpdatedEvent(ThreadId, TurnId, plan.Explanation, plan.Plan);
            case "turn/diff/updated":
                return new DiffUpdatedEvent(ThreadId, TurnId, envelope.ReadParams(CodexNotifications.TurnDiffUpdated).Diff);
            case "thread/tokenUsage/updated":
                return new UsageUpdatedEvent(ThreadId, TurnId, envelope.ReadParams(CodexNotifications.ThreadTokenUsageUpdated).TokenUsage);
            default:
                return null;
        }
    }
}
