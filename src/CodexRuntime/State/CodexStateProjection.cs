using System.Buffers;
using System.Text.Json;
using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;
using CodexRuntime.Protocol.Names;
using CodexRuntime.Rpc;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.State;

/// <summary>
/// Folds notifications into the threads / turns / items the runtime knows. It runs on the connection's reader loop
/// (so it never misses or reorders an event), which is why deltas are appended straight from the line's bytes
/// without building a document, and everything else it keeps is bounded by <see cref="CodexStateOptions"/>.
/// Snapshots copy under the same lock; the reader holds it only for one notification at a time. What is kept, and what
/// is forgotten, is <see cref="TrackStore"/>'s; who waits for a turn is <see cref="TurnWaiters"/>'.
/// </summary>
internal sealed class CodexStateProjection
{
    private readonly CodexStateOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITurnObserver? _turnObserver;
    private readonly Lock _gate = new();
    private readonly TrackStore _store;
    private readonly TurnWaiters _waiters = new();

    /// <param name="options">Limits.</param>
    /// <param name="time">The runtime's clock.</param>
    /// <param name="logger">Logging.</param>
    /// <param name="turns">Told when turns start and end (tracing lives there, not in the state); optional.</param>
    public CodexStateProjection(CodexStateOptions options, TimeProvider time, ILogger logger, ITurnObserver? turns = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _turnObserver = turns;
        _store = new TrackStore(options, time);
    }

    /// <summary>Applies one notification. Called on the reader loop, in arrival order.</summary>
    public void Apply(CodexInboundMessage message)
    {
        if (!_options.Enabled)
        {
            return;
        }

        try
        {
            switch (message.Method)
            {
                case CodexNotificationNames.ItemAgentMessageDelta:
                case CodexNotificationNames.ItemReasoningTextDelta:
                case CodexNotificationNames.ItemReasoningSummaryTextDelta:
                case CodexNotificationNames.ItemPlanDelta:
                    AppendDelta(message, output: false);
                    break;
                case CodexNotificationNames.ItemCommandExecutionOutputDelta:
                case CodexNotificationNames.ItemFileChangeOutputDelta:
                    AppendDelta(message, output: true);
                    break;
                case CodexNotificationNames.ItemStarted:
                    OnItem(message, message.ReadParams(CodexNotifications.ItemStarted).Item, completed: false);
                    break;
                case CodexNotificationNames.ItemCompleted:
                    OnItem(message, message.ReadParams(CodexNotifications.ItemCompleted).Item, completed: true);
                    break;
                case CodexNotificationNames.TurnStarted:
                    OnTurnStarted(message.ReadParams(CodexNotifications.TurnStarted));
                    break;
                case CodexNotificationNames.TurnCompleted:
                    OnTurnCompleted(message.ReadParams(CodexNotifications.TurnCompleted));
                    break;
                case CodexNotificationNames.ThreadStarted:
                    ObserveThread(message.ReadParams(CodexNotifications.ThreadStarted).Thread);
                    break;
                case CodexNotificationNames.ThreadStatusChanged:
                    var status = message.ReadParams(CodexNotifications.ThreadStatusChanged);
                    lock (_gate)
                    {
                        _store.Thread(status.ThreadId).Status = status.Status;
                    }

                    break;
                case CodexNotificationNames.ThreadNameUpdated:
                    var name = message.ReadParams(CodexNotifications.ThreadNameUpdated);
                    lock (_gate)
                    {
                        _store.Thread(name.ThreadId).Name = name.ThreadName;
                    }

                    break;
                case CodexNotificationNames.ThreadArchived:
                case CodexNotificationNames.ThreadUnarchived:
                case CodexNotificationNames.ThreadClosed:
                    if (message.ThreadId is { } threadId)
                    {
                        lock (_gate)
                        {
                            var thread = _store.Thread(threadId);
                            if (message.Method == CodexNotificationNames.ThreadClosed)
                            {
                                thread.Closed = true;
                            }
                            else
                            {
                                thread.Archived = message.Method == CodexNotificationNames.ThreadArchived;
                            }
                        }
                    }

                    break;
                case CodexNotificationNames.ThreadTokenUsageUpdated:
                    var usage = message.ReadParams(CodexNotifications.ThreadTokenUsageUpdated);
                    lock (_gate)
                    {
                        _store.Turn(usage.ThreadId, usage.TurnId).TokenUsage = usage.TokenUsage;
                    }

                    break;
                case CodexNotificationNames.Error:
                    // codex retrying (willRetry) after a provider or stream error: the turn still runs, and what it
                    // retried with last explains a timeout better than the timeout itself.
                    var error = message.ReadParams(CodexNotifications.Error);
                    if (error.WillRetry)
                    {
                        lock (_gate)
                        {
                            var retrying = _store.Turn(error.ThreadId, error.TurnId);
                            retrying.LastRetry = error.Error;
                            retrying.Retries++;
                        }
                    }

                    break;
                case CodexNotificationNames.TurnDiffUpdated:
                    var diff = message.ReadParams(CodexNotifications.TurnDiffUpdated);
                    lock (_gate)
                    {
                        _store.Turn(diff.ThreadId, diff.TurnId).Diff.Replace(diff.Diff);
                    }

                    break;
            }
        }
        catch (JsonException ex)
        {
            // A payload that does not fit the typed shape (another codex version) leaves the state as it was.
            Log.StateProjectionSkipped(_logger, ex, message.Method);
        }
    }

    /// <summary>Records a thread from a response (thread/start, thread/resume, thread/fork) or <c>thread/started</c>.</summary>
    public void ObserveThread(CodexThread thread)
    {
        if (!_options.Enabled)
        {
            return;
        }

        lock (_gate)
        {
            var track = _store.Thread(thread.Id);
            track.Thread = thread;
            track.Status = thread.Status;
            track.Name = thread.Name ?? track.Name;
        }
    }

    /// <summary>
    /// Waits until the turn has ended and returns its snapshot. Completes at once when the turn already ended; fails
    /// with <paramref name="cancellationToken"/>, or when the connection ends (see <see cref="AbandonRunningTurns"/>).
    /// </summary>
    public Task<CodexTurnSnapshot> WaitForTurnAsync(string threadId, string turnId, CancellationToken cancellationToken)
    {
        Task<CodexTurnSnapshot> ended;
        lock (_gate)
        {
            if (_store.TryGetTurn(turnId, out var track) && track.CompletedAt is not null)
            {
                return Task.FromResult(track.ToSnapshot());
            }

            if (_store.TryGetForgottenEnded(turnId, out var forgotten))
            {
                return Task.FromResult(forgotten); // ended, then its thread was trimmed before the watcher asked
            }

            ended = _waiters.For(turnId);
        }

        return ended.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The connection ended: turns still running can no longer finish on this process. They are marked failed (with
    /// <paramref name="reason"/> as their error), their activities end, and whoever waits on them gets
    /// <paramref name="error"/>.
    /// </summary>
    public void AbandonRunningTurns(string reason, Exception error)
    {
        List<TurnTrack> abandoned;
        List<TaskCompletionSource<CodexTurnSnapshot>> waiters;
        lock (_gate)
        {
            abandoned = _store.RunningTurns.ToList();
            foreach (var turn in abandoned)
            {
                turn.Status = TurnStatus.Failed;
                turn.Error = new TurnError { Message = reason };
                turn.CompletedAt = _time.GetUtcNow();
            }

            waiters = _waiters.TakeAll();
        }

        foreach (var turn in abandoned)
        {
            _turnObserver?.TurnEnded(turn.Id, TurnStatus.Failed, reason);
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetException(error);
        }
    }

    public IReadOnlyList<CodexThreadSnapshot> SnapshotThreads()
    {
        if (!_options.Enabled)
        {
            return [];
        }

        lock (_gate)
        {
            return _store.Threads
                .OrderBy(t => t.LastActivity)
                .Select(t => new CodexThreadSnapshot(t.Id, t.Name, t.Status, t.Archived, t.Closed, t.Thread, t.Turns.Select(turn => turn.ToSnapshot()).ToArray(), t.ForgottenTurns))
                .ToArray();
        }
    }

    private void AppendDelta(CodexInboundMessage message, bool output)
    {
        if (message.ItemId is not { } itemId || message.ThreadId is not { } threadId || message.TurnId is not { } turnId)
        {
            return;
        }

        lock (_gate)
        {
            var item = _store.DeltaItem(threadId, turnId, itemId);
            var target = output ? item.Output : item.Text;
            // The classifier located params.delta in its one pass over the line; without a string delta there is nothing to add.
            var (start, length, escaped) = message.Delta;
            if (start == 0)
            {
                return;
            }

            if (!escaped)
            {
                target.Append(message.Json.Span.Slice(start, length));
            }
            else
            {
                var reader = message.EscapedDeltaReader();
                AppendString(ref reader, target);
            }
        }
    }

    private void OnItem(CodexInboundMessage message, ThreadItem typed, bool completed)
    {
        if (message.ItemId is not { } itemId || message.ThreadId is not { } threadId || message.TurnId is not { } turnId)
        {
            return;
        }

        var type = message.ItemType;
        lock (_gate)
        {
            var item = _store.Item(threadId, turnId, itemId);
            item.Type = type ?? item.Type;
            item.Item = typed;
            if (!completed)
            {
                return;
            }

            item.Completed = true;
            switch (typed)
            {
                case AgentMessageThreadItem agent:
                    item.Text.Replace(agent.Text);
                    break;
                case PlanThreadItem plan:
                    item.Text.Replace(plan.Text);
                    break;
                case CommandExecutionThreadItem { AggregatedOutput: { } aggregated }:
                    item.Output.Replace(aggregated);
                    break;
            }
        }
    }

    private void OnTurnStarted(TurnStartedNotification started)
    {
        lock (_gate)
        {
            var turn = _store.Turn(started.ThreadId, started.Turn.Id);
            turn.Status = started.Turn.Status;
        }

        _turnObserver?.TurnStarted(started.ThreadId, started.Turn.Id);
    }

    private void OnTurnCompleted(TurnCompletedNotification completed)
    {
        TurnTrack turn;
        CodexTurnSnapshot snapshot;
        TaskCompletionSource<CodexTurnSnapshot>? waiter;
        lock (_gate)
        {
            turn = _store.Turn(completed.ThreadId, completed.Turn.Id);
            turn.Status = completed.Turn.Status;
            turn.Error = completed.Turn.Error;
            turn.CompletedAt = _time.GetUtcNow();
            foreach (var item in completed.Turn.Items)
            {
                // Items the turn lists but we never saw (codex 0.104.0 lists them only here for some kinds).
                var id = ItemId(item);
                if (id is not null && !_store.HasItem(turn.Id, id))
                {
                    var track = _store.AddItem(turn, id);
                    track.Item = item;
                    track.Completed = true;
                    if (item is AgentMessageThreadItem agent)
                    {
                        track.Type = "agentMessage";
                        track.Text.Replace(agent.Text);
                    }
                }
            }

            snapshot = turn.ToSnapshot();
            _store.TrimTurns(_store.Thread(completed.ThreadId));
            waiter = _waiters.Take(turn.Id);
        }

        _turnObserver?.TurnEnded(turn.Id, completed.Turn.Status, completed.Turn.Error?.Message);
        waiter?.TrySetResult(snapshot);
    }

    private static string? ItemId(ThreadItem item) => item switch
    {
        AgentMessageThreadItem a => a.Id,
        CommandExecutionThreadItem c => c.Id,
        PlanThreadItem p => p.Id,
        _ => null,
    };

    /// <summary>Appends the unescaped UTF-8 of the string token at the reader.</summary>
    private static void AppendString(ref Utf8JsonReader reader, Utf8TextAccumulator target)
    {
        if (!reader.ValueIsEscaped)
        {
            target.Append(reader.ValueSpan);
            return;
        }

        // Unescaping never makes the text longer than its escaped form.
        var rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var length = reader.CopyString(rented);
            target.Append(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
