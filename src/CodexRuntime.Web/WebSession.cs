using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Serialization;
using CodexRuntime.ServerRequests;
using CodexRuntime.Web.Sessions;

namespace CodexRuntime.Web;

/// <summary>
/// One web session: a <see cref="CodexSession"/> owned by one tenant, its event and approval logs, and the pump that
/// moves each turn's events into the log. The pump does not depend on any browser being connected: a client that goes
/// away leaves the turn running; interrupt and close stop it.
/// </summary>
internal sealed class WebSession
{
    private readonly Lock _gate = new();
    private readonly CodexSession _session;
    private readonly WebMetrics _metrics;
    private readonly DeliveryPacer _pacer;
    private readonly List<TurnRecord> _turns = [];
    private readonly CancellationTokenSource _closing = new();
    private CodexTurn? _activeTurn;
    private Task _pump = Task.CompletedTask;
    private string _status = "active";

    /// <summary>Opens the web side of a codex session; <paramref name="resumed"/> when it ran on another server before.</summary>
    public WebSession(string id, string tenant, string artifactId, CodexSession session, WebAdapterOptions options, WebMetrics metrics, DeliveryPacer pacer, CodexServerRequestPolicy approvalDeadlinePolicy, WebSessionResume? resumed = null)
    {
        Id = id;
        Tenant = tenant;
        ArtifactId = artifactId;
        _session = session;
        _metrics = metrics;
        _pacer = pacer;
        // Both logs go on after the moved session's last id: the approval log's ids never pass the event log's (each
        // approval event is in both), so no approval id is used twice either.
        var startAfter = resumed?.LastEventId ?? 0;
        var newest = resumed?.Turns.LastOrDefault() is { } last ? new WebTurnMark(last.TurnId, last.Status) : null;
        Events = new EventLog(options.ReplayBufferSize, options.ReplayBufferBytes, startAfter: startAfter, kept: resumed?.RecentEvents, turn: newest);
        ApprovalLog = new EventLog(options.ReplayBufferSize, options.ReplayBufferBytes, startAfter: startAfter);
        Approvals = new WebApprovals(options.MaxPendingApprovals, Events, ApprovalLog, metrics, options.ApprovalTimeout, approvalDeadlinePolicy, _closing.Token);
        if (resumed is not null)
        {
            Resume(resumed);
        }
    }

    public string Id { get; }

    public string Tenant { get; }

    public string ArtifactId { get; }

    public string ThreadId => _session.ThreadId;

    public EventLog Events { get; }

    /// <summary>The <c>approval</c> and <c>approvalResolved</c> events.</summary>
    public EventLog ApprovalLog { get; }

    /// <summary>The approvals waiting for an answer.</summary>
    public WebApprovals Approvals { get; }

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
                _turns.Select(t => t.Summary()).ToArray(), Approvals.List());
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
            throw new CodexWebException(CodexWebErrorKind.TurnInProgress, "A turn is already running in this session; stop it or wait for it to finish, then send again.", ex);
        }

        var record = new TurnRecord(turn.TurnId, prompt.Text);
        lock (_gate)
        {
            _activeTurn = turn;
            _turns.Add(record);
            Events.Append("turnStarted", new JsonObject { ["turnId"] = turn.TurnId, ["prompt"] = prompt.Text }.ToJsonString(), new WebTurnMark(turn.TurnId, "inProgress"));
        }

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
        Events.Complete("sessionClosed");
        ApprovalLog.Complete("sessionClosed");
        Events.Dispose();
        ApprovalLog.Dispose();
    }

    /// <summary>Host shutdown: streams end, running turns are let go (interrupted), the thread is kept (not archived) so it can be resumed.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _status = "closed";
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        Events.Complete("serverStopping");
        ApprovalLog.Complete("serverStopping");
        Events.Dispose();
        ApprovalLog.Dispose();
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
                    // Held until answered (or its deadline, or the session's end): the next event is read after it.
                    if (e is ApprovalRequestedEvent approval)
                    {
                        await Approvals.OfferAsync(approval.Request).ConfigureAwait(false);
                        continue;
                    }

                    if (e is ServerRequestEvent request)
                    {
                        await Approvals.OfferAsync(request.Request).ConfigureAwait(false);
                        continue;
                    }

                    Record(record, e);
                }
            }
        }
        catch (Exception ex) when (ex is CodexException or OperationCanceledException)
        {
            // The run failed (timeout, codex gone) or the host stops: the stream says how it ended.
            lock (_gate)
            {
                record.Complete(TurnStatus.Failed, null);
                Events.Append("turnCompleted", new JsonObject { ["turnId"] = turn.TurnId, ["status"] = "failed", ["error"] = ex.Message }.ToJsonString(), new WebTurnMark(turn.TurnId, "failed"));
            }
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

    /// <summary>
    /// Applies an event to the turn's record and appends it to the log together, under the session's lock, so a
    /// state read (text so far, last event id) always matches the log: resuming after it neither skips nor repeats.
    /// </summary>
    private void Record(TurnRecord record, CodexTurnEvent e)
    {
        var described = Describe(e);
        lock (_gate)
        {
            switch (e)
            {
                case MessageDeltaEvent delta:
                    record.Append(delta.Delta);
                    break;
                case ItemStartedEvent or ItemCompletedEvent when described?.Data["item"] is JsonObject item && WebTurnItems.From(item) is { } shown:
                    record.Show(shown);
                    break;
                case TurnCompletedEvent completed:
                    record.Complete(completed.Result.Status, completed.Result.Text);
                    break;
            }

            if (described is { } d)
            {
                // A reset after this event tells the turn's outcome (the client may have missed this very event).
                var mark = e is TurnCompletedEvent ended ? new WebTurnMark(ended.TurnId, WireName(ended.Result.Status)) : null;
                Events.Append(d.Kind, d.Data.ToJsonString(), mark);
            }
        }

        if (described is { } recorded)
        {
            _pacer.Recorded();
            _metrics.EventRecorded(recorded.Kind);
        }
    }

    /// <summary>
    /// The moved session's turns as its state showed them; its lost turn (running when its server went away) is
    /// reported failed, in the state and as the log's first event, so no client waits for it.
    /// </summary>
    private void Resume(WebSessionResume resumed)
    {
        _turns.AddRange(resumed.Turns.Select(TurnRecord.From));
        if (resumed.LostTurnId is not { } lost)
        {
            return;
        }

        var record = _turns.Find(t => t.TurnId == lost);
        if (record is null)
        {
            record = new TurnRecord(lost, "");
            _turns.Add(record);
        }

        record.Complete(TurnStatus.Failed, null);
        Events.Append("turnCompleted", new JsonObject
        {
            ["turnId"] = lost,
            ["status"] = "failed",
            ["error"] = LostTurnMessage,
        }.ToJsonString(), new WebTurnMark(lost, "failed"));
    }

    /// <summary>What a client is told about a turn whose server went away while it ran.</summary>
    internal const string LostTurnMessage =
        "The server running this turn went away before it finished; some of its work may be done. The session goes on: send the prompt again.";

    private static (string Kind, JsonObject Data)? Describe(CodexTurnEvent e) => e switch
    {
        MessageDeltaEvent d => ("delta", new JsonObject { ["turnId"] = d.TurnId, ["itemId"] = d.ItemId, ["text"] = d.Delta }),
        CommandOutputEvent o => ("commandOutput", new JsonObject { ["turnId"] = o.TurnId, ["itemId"] = o.ItemId, ["text"] = o.Delta }),
        FileChangeOutputEvent f => ("fileChangeOutput", new JsonObject { ["turnId"] = f.TurnId, ["itemId"] = f.ItemId, ["text"] = f.Delta }),
        ItemStartedEvent s => ("itemStarted", new JsonObject { ["turnId"] = s.TurnId, ["item"] = Item(s.Item) }),
        ItemCompletedEvent c => ("itemCompleted", new JsonObject { ["turnId"] = c.TurnId, ["item"] = Item(c.Item) }),
        PlanUpdatedEvent p => ("plan", new JsonObject { ["turnId"] = p.TurnId, ["explanation"] = p.Explanation, ["steps"] = new JsonArray(p.Plan.Select(s => Wire(s)).ToArray()) }),
        UsageUpdatedEvent u => ("usage", new JsonObject { ["turnId"] = u.TurnId, ["usage"] = Wire(u.Usage) }),
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

    /// <summary>An item as codex sent it (wire JSON): the REST events carry it, the AG-UI stream maps it.</summary>
    internal static JsonNode? Item(ThreadItem item) => Wire(item);

    private static JsonNode? Wire<T>(T value) => JsonSerializer.SerializeToNode(value, CodexJsonContext.WireOptions.GetTypeInfo(typeof(T)));

    internal static string WireName(TurnStatus status) => status switch
    {
        TurnStatus.Completed => "completed",
        TurnStatus.Interrupted => "interrupted",
        TurnStatus.Failed => "failed",
        TurnStatus.InProgress => "inProgress",
        _ => "unknown",
    };

    /// <summary>A turn as the session state shows it; changed only under the session's lock.</summary>
    private sealed class TurnRecord(string turnId, string prompt)
    {
        public string TurnId => turnId;

        /// <summary>A turn of a moved session, as its state showed it.</summary>
        public static TurnRecord From(WebTurnSummary summary)
        {
            var record = new TurnRecord(summary.TurnId, summary.Prompt);
            record._text.Append(summary.Text);
            record._items.AddRange(summary.Items);
            record._status = summary.Status;
            return record;
        }

        private readonly System.Text.StringBuilder _text = new();
        private readonly List<WebTurnItem> _items = [];
        private string _status = "inProgress";
        private string? _final;

        public void Append(string delta) => _text.Append(delta);

        /// <summary>A command or file change started or changed: the newest view of each item, in the order they started.</summary>
        public void Show(WebTurnItem item)
        {
            var index = _items.FindIndex(i => i.ItemId == item.ItemId);
            if (index < 0)
            {
                _items.Add(item);
            }
            else
            {
                _items[index] = item;
            }
        }

        public void Complete(TurnStatus status, string? text)
        {
            _status = WireName(status);
            _final = text;
        }

        public WebTurnSummary Summary() => new(turnId, _status, prompt, _final ?? _text.ToString(), _items.ToArray());
    }
}
