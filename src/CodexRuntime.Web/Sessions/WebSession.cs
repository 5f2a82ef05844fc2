using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Serialization;

namespace CodexRuntime.Web.Sessions;

/// <summary>
/// One web session: a <see cref="CodexSession"/> owned by one tenant, its event and approval logs, and the pump that
/// moves each turn's events into the log. The pump does not depend on any browser being connected: a client that goes
/// away leaves the turn running; interrupt and close stop it.
/// </summary>
internal sealed class WebSession
{
    private static readonly string[] Decisions = ["accept", "acceptForSession", "decline", "cancel"];

    private readonly Lock _gate = new();
    private readonly CodexSession _session;
    private readonly int _maxPendingApprovals;
    private readonly ConcurrentDictionary<string, PendingApproval> _pending = new(StringComparer.Ordinal);
    private readonly List<TurnRecord> _turns = [];
    private readonly CancellationTokenSource _closing = new();
    private CodexTurn? _activeTurn;
    private Task _pump = Task.CompletedTask;
    private string _status = "active";

    private readonly WebMetrics _metrics;

    public WebSession(string id, string tenant, string artifactId, CodexSession session, int replayBufferSize, int maxPendingApprovals, WebMetrics metrics)
    {
        _metrics = metrics;
        Id = id;
        Tenant = tenant;
        ArtifactId = artifactId;
        _session = session;
        _maxPendingApprovals = maxPendingApprovals;
        Events = new EventLog(replayBufferSize);
        Approvals = new EventLog(replayBufferSize);
    }

    public string Id { get; }

    public string Tenant { get; }

    public string ArtifactId { get; }

    public string ThreadId => _session.ThreadId;

    public EventLog Events { get; }

    public EventLog Approvals { get; }

    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _status != "closed";
            }
        }
    }

    public WebSessionState State()
    {
        lock (_gate)
        {
            return new WebSessionState(Id, ArtifactId, ThreadId, _status, _activeTurn?.TurnId, Events.LastId,
                _turns.Select(t => t.Summary()).ToArray(), _pending.Values.OrderBy(p => p.AnnouncedAt).Select(p => p.View).ToArray());
        }
    }

    /// <summary>Starts a turn and its pump; <paramref name="release"/> is called once when the turn is over.</summary>
    public async Task<string> StartTurnAsync(CodexPrompt prompt, Action release, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_status != "active")
            {
                throw new CodexWebException(CodexWebErrorKind.SessionClosing, $"The session is {_status}; open a new one.");
            }
        }

        CodexTurn turn;
        try
        {
            turn = await _session.AskStreamingAsync(prompt, cancellationToken).ConfigureAwait(false);
        }
        catch (CodexTurnInProgressException ex)
        {
            throw new CodexWebException(CodexWebErrorKind.TurnInProgress, "A turn is already running in this session; interrupt it or wait for turnCompleted. " + ex.Message);
        }

        var record = new TurnRecord(turn.TurnId, prompt.Text);
        lock (_gate)
        {
            _activeTurn = turn;
            _turns.Add(record);
        }

        Events.Append("turnStarted", new JsonObject { ["turnId"] = turn.TurnId, ["prompt"] = prompt.Text }.ToJsonString());
        _pump = Task.Run(() => PumpAsync(turn, record, release));
        return turn.TurnId;
    }

    public async Task InterruptAsync(CancellationToken cancellationToken)
    {
        CodexTurn? turn;
        lock (_gate)
        {
            turn = _activeTurn;
        }

        if (turn is not null)
        {
            await turn.InterruptAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task AnswerAsync(string approvalId, string decision)
    {
        if (!_pending.TryGetValue(approvalId, out var pending))
        {
            throw CodexWebException.NotFound("approval");
        }

        var answer = decision switch
        {
            "accept" => CodexApprovalDecision.Accept,
            "acceptForSession" => CodexApprovalDecision.AcceptForSession,
            "decline" => CodexApprovalDecision.Decline,
            "cancel" => CodexApprovalDecision.Cancel,
            _ => throw new CodexWebException(CodexWebErrorKind.InvalidApprovalAnswer, $"'{decision}' is not an answer to a {pending.View.Kind} approval; send one of: {string.Join(", ", Decisions)}.", "decision"),
        };

        // Single use: only the caller that removes it answers it.
        if (!_pending.TryRemove(approvalId, out _))
        {
            throw CodexWebException.NotFound("approval");
        }

        var answered = await pending.Request.RespondAsync(answer).ConfigureAwait(false);
        Resolved(pending, answered ? decision : "expired");
        if (!answered)
        {
            throw new CodexWebException(CodexWebErrorKind.NotFound, "The approval was already answered (its deadline passed, or codex withdrew it).");
        }
    }

    /// <summary>Active → closing → archived (closed); a failed archive puts the session back to active.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_status != "active")
            {
                throw new CodexWebException(CodexWebErrorKind.SessionClosing, $"The session is {_status} already.");
            }

            _status = "closing";
        }

        try
        {
            await InterruptAsync(cancellationToken).ConfigureAwait(false);
            await _pump.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            await _session.CloseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                _status = "active";
            }

            throw;
        }

        lock (_gate)
        {
            _status = "closed";
        }

        Events.Append("sessionClosed", new JsonObject { ["sessionId"] = Id }.ToJsonString());
        Events.Complete();
        Approvals.Complete();
    }

    /// <summary>Host shutdown: streams end, running turns are let go (interrupted), the thread is kept (not archived) so it can be resumed.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _status = "closed";
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        Events.Complete();
        Approvals.Complete();
        await _session.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _pump.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or CodexException)
        {
            // Shutting down: the turn's end is not waited for longer.
        }
    }

    private async Task PumpAsync(CodexTurn turn, TurnRecord record, Action release)
    {
        try
        {
            await using (turn)
            {
                await foreach (var e in turn.WithCancellation(_closing.Token).ConfigureAwait(false))
                {
                    if (e is ApprovalRequestedEvent approval)
                    {
                        await OfferAsync(approval.Request).ConfigureAwait(false);
                        continue;
                    }

                    if (e is MessageDeltaEvent delta)
                    {
                        record.Append(delta.Delta);
                    }

                    if (e is TurnCompletedEvent completed)
                    {
                        record.Complete(completed.Result.Status, completed.Result.Text);
                    }

                    if (Describe(e) is { } described)
                    {
                        Events.Append(described.Kind, described.Data.ToJsonString());
                    }
                }
            }
        }
        catch (Exception ex) when (ex is CodexException or OperationCanceledException)
        {
            // The run failed (timeout, codex gone) or the host stops: the stream says how it ended.
            record.Complete(TurnStatus.Failed, null);
            Events.Append("turnCompleted", new JsonObject { ["turnId"] = turn.TurnId, ["status"] = "failed", ["error"] = ex.Message }.ToJsonString());
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_activeTurn, turn))
                {
                    _activeTurn = null;
                }
            }

            release();
        }
    }

    /// <summary>Puts an approval before the session's subscribers and waits for their answer, its deadline, or the session's end.</summary>
    private async Task OfferAsync(CodexApprovalRequest request)
    {
        if (_pending.Count >= _maxPendingApprovals)
        {
            return; // the core answers it by the profile's policy when the reader moves on
        }

        var view = new WebApproval(Guid.NewGuid().ToString(), request.Kind == CodexApprovalKind.Command ? "command" : "fileChange", request.TurnId, request.Command, request.Cwd, request.Reason, Decisions);
        var data = JsonSerializer.SerializeToNode(view, WebJsonContext.Default.WebApproval)!.ToJsonString();
        var pending = new PendingApproval(view, request);
        _pending[view.ApprovalId] = pending; // answerable before anyone can see it
        pending.AnnouncedAt = Approvals.Append("approval", data);
        Events.Append("approval", data);
        try
        {
            await pending.Answered.Task.WaitAsync(request.Abandoned).WaitAsync(_closing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (_pending.TryRemove(view.ApprovalId, out _))
            {
                Resolved(pending, "expired");
            }
        }
    }

    private void Resolved(PendingApproval pending, string outcome)
    {
        var data = new JsonObject { ["approvalId"] = pending.View.ApprovalId, ["outcome"] = outcome }.ToJsonString();
        Events.Append("approvalResolved", data);
        Approvals.Append("approvalResolved", data);
        _metrics.ApprovalResolved(outcome);
        pending.Answered.TrySetResult();
    }

    private static (string Kind, JsonObject Data)? Describe(CodexTurnEvent e) => e switch
    {
        MessageDeltaEvent d => ("delta", new JsonObject { ["turnId"] = d.TurnId, ["itemId"] = d.ItemId, ["text"] = d.Delta }),
        CommandOutputEvent o => ("commandOutput", new JsonObject { ["turnId"] = o.TurnId, ["itemId"] = o.ItemId, ["text"] = o.Delta }),
        FileChangeOutputEvent f => ("fileChangeOutput", new JsonObject { ["turnId"] = f.TurnId, ["itemId"] = f.ItemId, ["text"] = f.Delta }),
        ItemStartedEvent s => ("itemStarted", new JsonObject { ["turnId"] = s.TurnId, ["item"] = Item(s.Item) }),
        ItemCompletedEvent c => ("itemCompleted", new JsonObject { ["turnId"] = c.TurnId, ["item"] = Item(c.Item) }),
        PlanUpdatedEvent p => ("plan", new JsonObject { ["turnId"] = p.TurnId, ["explanation"] = p.Explanation }),
        DiffUpdatedEvent d => ("diff", new JsonObject { ["turnId"] = d.TurnId, ["diff"] = d.Diff }),
        RetryingEvent r => ("retrying", new JsonObject { ["turnId"] = r.TurnId, ["message"] = r.Error.Message, ["details"] = r.Error.AdditionalDetails }),
        WarningEvent w => ("warning", new JsonObject { ["turnId"] = w.TurnId, ["message"] = w.Message }),
        EventsLostEvent l => ("eventsLost", new JsonObject { ["turnId"] = l.TurnId, ["count"] = l.Count }),
        TurnCompletedEvent t => ("turnCompleted", new JsonObject
        {
            ["turnId"] = t.TurnId,
            ["status"] = WireName(t.Result.Status),
            ["text"] = t.Result.Text,
            ["error"] = t.Result.Error?.Message,
        }),
        _ => null,
    };

    private static JsonNode? Item(ThreadItem item) => JsonSerializer.SerializeToNode(item, CodexJsonContext.WireOptions.GetTypeInfo(typeof(ThreadItem)));

    internal static string WireName(TurnStatus status) => status switch
    {
        TurnStatus.Completed => "completed",
        TurnStatus.Interrupted => "interrupted",
        TurnStatus.Failed => "failed",
        TurnStatus.InProgress => "inProgress",
        _ => "unknown",
    };

    private sealed record PendingApproval(WebApproval View, CodexApprovalRequest Request)
    {
        /// <summary>Its id in the approvals log: pending approvals are listed oldest first.</summary>
        public long AnnouncedAt { get; set; }

        public TaskCompletionSource Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class TurnRecord(string turnId, string prompt)
    {
        private readonly System.Text.StringBuilder _text = new();
        private string _status = "inProgress";
        private string? _final;

        public void Append(string delta)
        {
            lock (_text)
            {
                _text.Append(delta);
            }
        }

        public void Complete(TurnStatus status, string? text)
        {
            lock (_text)
            {
                _status = WireName(status);
                _final = text;
            }
        }

        public WebTurnSummary Summary()
        {
            lock (_text)
            {
                return new WebTurnSummary(turnId, _status, prompt, _final ?? _text.ToString());
            }
        }
    }
}
