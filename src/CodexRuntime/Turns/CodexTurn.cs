using System.Runtime.CompilerServices;
using CodexRuntime.Protocol;
using CodexRuntime.ServerRequests;

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
    private readonly CodexSession _session;
    private readonly TurnEventQueue _queue;
    private readonly IDisposable _route;
    private readonly bool _streaming;
    private readonly CancellationTokenSource _abandon = new();
    private readonly CancellationToken _abandoned;
    private readonly TaskCompletionSource _consumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _consumer;
    private readonly Task<PromptRunResult> _outcome;
    private readonly TurnInterception _interception;
    private int _enumerated;
    private int _disposed;

    /// <param name="session">The session the turn runs in.</param>
    /// <param name="threadId">The thread.</param>
    /// <param name="turnId">The turn codex started.</param>
    /// <param name="timeout">The run timeout.</param>
    /// <param name="queue">The turn's one routed queue (notifications and approvals in wire order), opened before <c>turn/start</c>; the turn owns it from here.</param>
    /// <param name="route">The queue's route; the turn closes it.</param>
    /// <param name="streaming">True when the caller reads the queue as the event stream; false when the turn reads it itself.</param>
    /// <param name="interception">The run's interceptors.</param>
    internal CodexTurn(CodexSession session, string threadId, string turnId, TimeSpan timeout, TurnEventQueue queue, IDisposable route, bool streaming, CodexRunInterception interception)
    {
        _session = session;
        ThreadId = threadId;
        TurnId = turnId;
        Timeout = timeout;
        _queue = queue;
        _route = route;
        _streaming = streaming;
        _abandoned = _abandon.Token;
        _interception = new TurnInterception(session, threadId, turnId, interception);
        _consumer = streaming ? Task.CompletedTask : ConsumeAsync();
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
        if (!_streaming)
        {
            throw new InvalidOperationException("This turn has no event stream: start it with CodexSession.AskStreamingAsync to read its events.");
        }

        if (Interlocked.Exchange(ref _enumerated, 1) == 1)
        {
            throw new InvalidOperationException("A turn's event stream can be read once; it is already being (or was) read.");
        }

        return ReadEventsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
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

        _route.Dispose();
        _queue.Complete();
        if (_streaming)
        {
            // The reader left (or never came): what it did not read is answered here.
            await AnswerUnreadApprovalsAsync().ConfigureAwait(false);
        }

        _abandon.Cancel();
        // A turn without a stream: its consumer stops and answers what is left unread.
        await _consumer.ConfigureAwait(false);
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
                _queue.Complete();
                var ended = await _session.TryInterruptAsync(this).ConfigureAwait(false);
                var partial = ended is null ? null : PromptRunResult.FromSnapshot(ended);
                // When codex was retrying (provider unreachable, stream errors), that, not the timeout, is the news.
                var lastRetry = (ended ?? runtime.State.FindTurn(TurnId))?.LastRetry;
                var timedOut = new CodexRunTimeoutException(ThreadId, TurnId, Timeout, partial?.Status == TurnStatus.Interrupted, partial, lastRetry);
                await ToolHooksRunAsync().ConfigureAwait(false);
                await _interception.PostTurnAsync(partial, timedOut).ConfigureAwait(false);
                throw new CodexRunTimeoutException(ThreadId, TurnId, Timeout, timedOut.Interrupted, partial is null ? null : _interception.WithReport(partial), lastRetry);
            }
            catch (CodexException ex)
            {
                _queue.Complete();
                await ToolHooksRunAsync().ConfigureAwait(false);
                await _interception.PostTurnAsync(null, ex).ConfigureAwait(false);
                throw;
            }

            await ToolHooksRunAsync().ConfigureAwait(false);
            await _interception.PostTurnAsync(result, null).ConfigureAwait(false);
            return _interception.WithReport(result);
        }
        finally
        {
            // A normal end leaves the queue open: turn/completed is routed to it right after the state applied it.
            _session.Release(this);
        }
    }

    /// <summary>
    /// PostTurn comes after the PostToolUse hooks of the turn's items, which its one consumer runs as it reads them:
    /// wait for the consumer to pass <c>turn/completed</c> (or the queue to end). For a streaming turn that consumer is
    /// the caller's reader, so the wait also ends when the turn is let go. No wait without interceptors.
    /// </summary>
    private async Task ToolHooksRunAsync()
    {
        if (_interception.IsEmpty)
        {
            return;
        }

        try
        {
            await _consumed.Task.WaitAsync(_abandoned).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Let go: PostTurn runs without the hooks of items nobody read.
        }
    }

    /// <summary>The consumer of a turn without a stream: approvals to their answerers, tool hooks, until <c>turn/completed</c>.</summary>
    private async Task ConsumeAsync()
    {
        // Off the caller: the turn is built under the session's lock, and hooks or handlers must not run there.
        await Task.Yield();
        try
        {
            while (await _queue.WaitToReadAsync(_abandoned).ConfigureAwait(false))
            {
                while (_queue.TryRead(out var entry))
                {
                    if (entry.Request is { } request)
                    {
                        if (await _session.Approvals.ScreenAsync(request, TurnId, _interception).ConfigureAwait(false) is { } approval)
                        {
                            // Not awaited: a policy waiting for a person never holds up the next request.
                            _ = _session.Approvals.AnswerByPolicyAsync(approval);
                        }

                        continue;
                    }

                    var message = entry.Message!;
                    if (message.TurnId is { } turnId && turnId != TurnId)
                    {
                        continue;
                    }

                    if (message.Is(CodexNotifications.TurnCompleted))
                    {
                        return;
                    }

                    if (!_interception.IsEmpty && message.Is(CodexNotifications.ItemCompleted))
                    {
                        await _interception.AfterItemAsync(message.ReadParams(CodexNotifications.ItemCompleted).Item, _abandoned).ConfigureAwait(false);
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
            // The turn's end closes its route (nobody disposes a turn of AskAsync); approvals still queued get their answer.
            _route.Dispose();
            _queue.Complete();
            await AnswerUnreadApprovalsAsync().ConfigureAwait(false);
            _consumed.TrySetResult();
        }
    }

    private async IAsyncEnumerable<CodexTurnEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = _queue;
        var approvals = _session.Approvals;
        CodexApprovalRequest? offered = null;
        CodexServerRequest? asked = null;
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

                    if (entry.Request is { } request && !CodexApprovalRequest.IsApproval(request))
                    {
                        // A kind the profile routes to the turn (RunProfile.TurnServerRequests); one of another turn
                        // goes back to the runtime's answerers unseen.
                        if (request.TurnId is null || request.TurnId == TurnId)
                        {
                            asked = request;
                            yield return new ServerRequestEvent(ThreadId, TurnId, request);
                            asked = null;
                        }

                        // Unanswered when the reader moved on: the runtime's handler or policy answers now, not at the deadline.
                        request.Release();
                        continue;
                    }

                    if (entry.Request is { } approvalRequest)
                    {
                        if (await approvals.ScreenAsync(approvalRequest, TurnId, _interception).ConfigureAwait(false) is not { } approval)
                        {
                            continue;
                        }

                        offered = approval;
                        yield return new ApprovalRequestedEvent(ThreadId, TurnId, approval);
                        // The reader asked for the next event without answering: the profile's handler decides now
                        // instead of at the deadline (an answered request stays as answered).
                        offered = null;
                        await approvals.AnswerByPolicyAsync(approval).ConfigureAwait(false);
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

                    var mapped = TurnEventMap.Map(ThreadId, TurnId, message);
                    if (mapped is ItemCompletedEvent completed)
                    {
                        await _interception.AfterItemAsync(completed.Item, _abandoned).ConfigureAwait(false);
                    }

                    if (mapped is not null)
                    {
                        yield return mapped;
                    }
                }
            }

            _consumed.TrySetResult();
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
            _consumed.TrySetResult();
            asked?.Release();
            if (offered is not null)
            {
                await approvals.AnswerByPolicyAsync(offered).ConfigureAwait(false);
            }

            await DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Requests left in the queue when the turn is let go: each still gets its one answer, approvals by policy, the other
    /// kinds by the runtime's handlers or policy.
    /// </summary>
    private async Task AnswerUnreadApprovalsAsync()
    {
        while (_queue.TryRead(out var unread))
        {
            if (unread.Request is { } other && !CodexApprovalRequest.IsApproval(other))
            {
                other.Release();
            }
            else if (unread.Request is { } request && await _session.Approvals.ScreenAsync(request, TurnId, _interception).ConfigureAwait(false) is { } approval)
            {
                await _session.Approvals.AnswerByPolicyAsync(approval).ConfigureAwait(false);
            }
        }
    }
}
