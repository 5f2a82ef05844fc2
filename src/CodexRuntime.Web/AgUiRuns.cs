using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using CodexRuntime.Web.Sessions;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Web;

/// <summary>
/// AG-UI runs over the web adapter: a run's input decides what happens on the thread's session (a new turn, answers
/// to its interrupts and to calls of the client's tools, or nothing but re-attaching), all of it before the response
/// starts, so every refusal is a ProblemDetails and nothing reaches codex when one is given; then the run streams its
/// turn from the session's log.
/// </summary>
internal sealed class AgUiRuns(WebAdapter web)
{
    /// <summary>The artifact every AG-UI session is opened for (the REST sessions name their own).</summary>
    internal const string ArtifactId = "agui";

    /// <summary>Turns kept in a <c>MESSAGES_SNAPSHOT</c>: the newest ones, read from codex a page at a time.</summary>
    private const int SnapshotTurns = 100;

    /// <summary>Decides and starts what the run does.</summary>
    public async Task<AgUiRunPlan> PrepareAsync(string tenant, AgUiInput input, CancellationToken cancellationToken)
    {
        await RequireToolsOptInAsync(input, cancellationToken).ConfigureAwait(false);
        var thread = web.AgUi.Find(tenant, input.ThreadId);
        if (thread is null)
        {
            RequireNewConversation(input);
            thread = web.AgUi.GetOrAdd(tenant, input.ThreadId);
        }

        await thread.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            thread.Touch();
            JsonArray? resumed = null;
            if (thread.SessionId is null)
            {
                resumed = await OpenAsync(tenant, input, thread, cancellationToken).ConfigureAwait(false);
            }

            WebSession session;
            try
            {
                session = web.Find(tenant, thread.SessionId!);
            }
            catch (CodexWebException)
            {
                web.AgUi.Remove(tenant, input.ThreadId, thread); // its session was closed (REST DELETE)
                throw NotFound();
            }

            var (run, snapshot) = await DecideAsync(tenant, input, thread, session, resumed, cancellationToken).ConfigureAwait(false);
            thread.Remember(input.RunId, run);
            return new AgUiRunPlan(input.ThreadId, input.RunId, thread, session, run, snapshot ?? resumed);
        }
        finally
        {
            thread.Gate.Release();
        }
    }

    /// <summary>
    /// Opens the thread's session: a new codex thread on its first run (with the run's tools as its dynamic tools), or
    /// its codex thread resumed when its session was let go (then the thread's messages, for the run's
    /// <c>MESSAGES_SNAPSHOT</c>). At the tenant's session limit, the tenant's idlest AG-UI session (no running turn,
    /// no waiting interrupt) is let go first.
    /// </summary>
    private async Task<JsonArray?> OpenAsync(string tenant, AgUiInput input, AgUiThread thread, CancellationToken cancellationToken)
    {
        try
        {
            if (thread.CodexThreadId is null)
            {
                RequireNewConversation(input);
                thread.Offer(input.Tools);
            }

            WebSessionInfo? info = null;
            try
            {
                info = await web.OpenSessionAsync(tenant, ArtifactId, null, thread.CodexThreadId, thread.Tools, cancellationToken).ConfigureAwait(false);
            }
            catch (CodexWebException ex) when (ex.Kind == CodexWebErrorKind.LimitExceeded)
            {
                if (!await ReleaseIdlestAsync(tenant, thread).ConfigureAwait(false))
                {
                    throw;
                }
            }

            info ??= await web.OpenSessionAsync(tenant, ArtifactId, null, thread.CodexThreadId, thread.Tools, cancellationToken).ConfigureAwait(false);
            var resumed = thread.CodexThreadId is not null;
            thread.SessionId = info.SessionId;
            thread.CodexThreadId = info.ThreadId;
            return resumed ? await SnapshotAsync(thread, info.ThreadId, null, cancellationToken).ConfigureAwait(false) : null;
        }
        catch when (thread.CodexThreadId is null)
        {
            web.AgUi.Remove(tenant, input.ThreadId, thread);
            throw;
        }
    }

    /// <summary>Lets the tenant's idlest AG-UI session go (its codex thread is kept); false when every one is busy.</summary>
    private async Task<bool> ReleaseIdlestAsync(string tenant, AgUiThread opening)
    {
        foreach (var candidate in web.AgUi.Idlest(tenant).Where(t => t != opening))
        {
            if (!await candidate.Gate.WaitAsync(0).ConfigureAwait(false))
            {
                continue; // a run is deciding on it right now
            }

            try
            {
                if (candidate.SessionId is not { } id)
                {
                    continue;
                }

                var session = web.Find(tenant, id);
                if (session.State().ActiveTurnId is not null || session.Approvals.List().Count > 0)
                {
                    continue;
                }

                await web.ReleaseSessionAsync(session).ConfigureAwait(false);
                candidate.Released();
                return true;
            }
            catch (CodexWebException)
            {
                continue; // closed meanwhile
            }
            finally
            {
                candidate.Gate.Release();
            }
        }

        return false;
    }

    /// <summary>The run's AG-UI events, as JSON: RUN_STARTED, the snapshot if any, the turn's events, RUN_FINISHED or RUN_ERROR.</summary>
    /// <param name="tenant">The caller's tenant.</param>
    /// <param name="plan">What <see cref="PrepareAsync"/> decided.</param>
    /// <param name="logger">Where a failure is logged (with <paramref name="traceId"/>).</param>
    /// <param name="traceId">The request's trace id, quoted in a <c>RUN_ERROR</c>.</param>
    /// <param name="time">The heartbeat's clock.</param>
    /// <param name="cancellationToken">The client going away.</param>
    public async IAsyncEnumerable<string> StreamAsync(string tenant, AgUiRunPlan plan, ILogger logger, string traceId, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var mapper = new AgUiEventMapper(plan.ThreadId, plan.RunId, plan.Run.TurnId ?? string.Empty, plan.Run.Answered, plan.Session.Approvals.IsPending, plan.Thread.ToolNames);
        yield return mapper.RunStarted().ToJsonString();
        if (plan.Snapshot is { } messages)
        {
            yield return new JsonObject { ["type"] = "MESSAGES_SNAPSHOT", ["messages"] = messages }.ToJsonString();
        }

        if (plan.Run.TurnId is null)
        {
            yield return new JsonObject { ["type"] = "RUN_FINISHED", ["threadId"] = plan.ThreadId, ["runId"] = plan.RunId, ["outcome"] = new JsonObject { ["type"] = "success" } }.ToJsonString();
            yield break;
        }

        // The client going away ends this read, never the turn: the session's pump goes on without any reader.
        await using var events = web.SubscribeEventsAsync(tenant, plan.Session.Id, plan.Run.Cursor, cancellationToken).GetAsyncEnumerator(cancellationToken);
        Task<bool>? next = null;
        try
        {
            while (!mapper.Done)
            {
                bool moved;
                var idle = false;
                string? failure = null;
                try
                {
                    // A quiet turn (a long command, a model that thinks) gets a CUSTOM heartbeat each HeartbeatInterval,
                    // as the REST stream does, so proxies that cut idle connections keep the run open; the read stays pending.
                    next ??= events.MoveNextAsync().AsTask();
                    if (await ArrivesAsync(next, time, cancellationToken).ConfigureAwait(false))
                    {
                        moved = await next.ConfigureAwait(false);
                        next = null;
                    }
                    else
                    {
                        (moved, idle) = (true, true);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
                catch (Exception ex)
                {
                    CodexWebLog.Failed(logger, ex, traceId);
                    (moved, next) = (false, null);
                    failure = "Something went wrong on the server; try again, and quote the trace id if it keeps happening.";
                }

                if (!moved)
                {
                    // The subscription ends with an end event; ending without one is a failure (or the client left).
                    if (!cancellationToken.IsCancellationRequested)
                    {
                        yield return new JsonObject { ["type"] = "RUN_ERROR", ["message"] = failure ?? "The run's events ended early.", ["code"] = "serverError", ["traceId"] = traceId }.ToJsonString();
                    }

                    yield break;
                }

                if (idle)
                {
                    yield return Heartbeat;
                    continue;
                }

                var mapped = mapper.Map(events.Current);
                if (mapper.PendingToolCallId is { } callId)
                {
                    plan.Thread.Announced(callId); // before the client can see it: its answer may come at once
                }

                foreach (var e in mapped)
                {
                    yield return e.ToJsonString();
                }
            }
        }
        finally
        {
            // A read still pending (the client left while the turn was quiet) ends with the client's token; the
            // subscription is disposed only after it.
            if (next is not null)
            {
                await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A <c>CUSTOM</c> event that carries nothing: AG-UI clients hand it to <c>onCustomEvent</c> and otherwise ignore it.</summary>
    private const string Heartbeat = """{"type":"CUSTOM","name":"codex.heartbeat","value":{}}""";

    /// <summary>True when <paramref name="next"/> completed; false after one idle <see cref="WebAdapterOptions.HeartbeatInterval"/>.</summary>
    private async Task<bool> ArrivesAsync(Task<bool> next, TimeProvider time, CancellationToken cancellationToken)
    {
        if (next.IsCompleted)
        {
            return true; // the common case while a turn streams: no heartbeat timer per event
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = Task.Delay(web.Options.HeartbeatInterval, time, idle.Token);
        var first = await Task.WhenAny(next, heartbeat).ConfigureAwait(false);
        await idle.CancelAsync().ConfigureAwait(false);
        if (first != next)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return first == next;
    }

    private async Task<(AgUiRun Run, JsonArray? Snapshot)> DecideAsync(string tenant, AgUiInput input, AgUiThread thread, WebSession session, JsonArray? resumed, CancellationToken cancellationToken)
    {
        if (thread.Run(input.RunId) is { } known)
        {
            return (known, null); // the same run again: re-attach, from where it started
        }

        var (toolAnswers, late) = AgUiToolResults.Sort(input, thread, session);
        if (input.Resume.Count > 0 || toolAnswers.Count > 0)
        {
            return (await ResumeAsync(input, thread, session, toolAnswers).ConfigureAwait(false), null);
        }

        var waiting = session.Approvals.List();
        if (input.MessageCount == 0)
        {
            // A client without messages (a reloaded page): the thread's messages, then its running turn if any.
            var active = session.State().ActiveTurnId;
            var snapshot = resumed ?? await SnapshotAsync(thread, session.ThreadId, active, cancellationToken).ConfigureAwait(false);
            return (new AgUiRun(active, active is null ? 0 : thread.TurnStart(active), []), snapshot);
        }

        if (waiting.Count > 0)
        {
            throw new CodexWebException(CodexWebErrorKind.TurnInProgress, waiting.Any(w => AgUiToolResults.IsClientCall(w, thread))
                ? "The conversation waits for the result of a call of your tool; send it as a tool message (toolCallId: the call's id) first."
                : "The conversation waits for an answer to its interrupt; answer it with resume first.", "resume");
        }

        if (input.NewText(thread.Taken) is not { } text)
        {
            throw late is not null
                ? new CodexWebException(CodexWebErrorKind.NotFound, "That tool call no longer waits for its result (its deadline passed, or it was answered); add a new user message to go on.", $"{late.Path}.toolCallId")
                : new CodexWebException(CodexWebErrorKind.InvalidRequest, "There is no new user message after the agent's last message; add one to start a run.", "messages");
        }

        var before = session.Events.LastId;
        var started = await web.StartTurnAsync(tenant, session, new CodexPrompt(text), cancellationToken).ConfigureAwait(false);
        thread.TurnStarted(started.TurnId, before);
        thread.Take(input.UserMessages.Select(u => u.Id));
        return (new AgUiRun(started.TurnId, before, []), null);
    }

    /// <summary>
    /// Checks every answer first (nothing is sent when one is wrong): the interrupts' <c>resume</c> entries and the
    /// tool messages answering client tool calls; then sends them. The run goes on with their turn.
    /// </summary>
    private static async Task<AgUiRun> ResumeAsync(AgUiInput input, AgUiThread thread, WebSession session, IReadOnlyList<(AgUiToolResult Result, WebApproval Call)> toolAnswers)
    {
        if (input.NewText(thread.Taken) is not null)
        {
            throw new CodexWebException(CodexWebErrorKind.InvalidRequest, "A run that answers interrupts continues the running turn; send the new message in the run after it.", "messages");
        }

        var answers = new List<(string Id, WebApprovalAnswer Answer)>();
        string? turnId = null;
        foreach (var entry in input.Resume)
        {
            if (!session.Approvals.IsPending(entry.InterruptId))
            {
                throw new CodexWebException(CodexWebErrorKind.NotFound, "That interrupt is not waiting for an answer (it was answered, or its deadline passed).", $"{entry.Path}.interruptId");
            }

            var kind = session.Approvals.List().FirstOrDefault(a => a.ApprovalId == entry.InterruptId)?.Kind ?? string.Empty;
            var answer = AgUiInterrupts.Answer(entry, kind);
            var view = Check(session, entry, answer);
            if (turnId is not null && view.TurnId != turnId)
            {
                throw new CodexWebException(CodexWebErrorKind.InvalidRequest, "One run answers the interrupts of one turn.", entry.Path);
            }

            turnId = view.TurnId;
            answers.Add((entry.InterruptId, answer));
        }

        foreach (var (result, call) in toolAnswers)
        {
            var answer = new WebApprovalAnswer(null, AgUiTools.Response(result), null);
            var view = session.Approvals.Check(call.ApprovalId, answer);
            if (turnId is not null && view.TurnId != turnId)
            {
                throw new CodexWebException(CodexWebErrorKind.InvalidRequest, "One run answers the calls and interrupts of one turn.", result.Path);
            }

            turnId = view.TurnId;
            answers.Add((call.ApprovalId, answer));
        }

        foreach (var (id, answer) in answers)
        {
            await session.Approvals.AnswerAsync(id, answer).ConfigureAwait(false);
        }

        thread.Take(toolAnswers.Select(a => a.Result.MessageId));

        return new AgUiRun(turnId, turnId is null ? 0 : thread.TurnStart(turnId), answers.Select(a => a.Id).ToArray());
    }

    private static WebApproval Check(WebSession session, AgUiResume entry, WebApprovalAnswer answer)
    {
        try
        {
            return session.Approvals.Check(entry.InterruptId, answer);
        }
        catch (CodexWebException ex) when (ex.Kind == CodexWebErrorKind.InvalidApprovalAnswer)
        {
            throw new CodexWebException(ex.Kind, ex.Message, $"{entry.Path}.payload.{ex.Member}");
        }
    }

    /// <summary>The thread's messages from codex's own history (paged), the newest <see cref="SnapshotTurns"/> turns, without the running one.</summary>
    private async Task<JsonArray> SnapshotAsync(AgUiThread thread, string threadId, string? activeTurnId, CancellationToken cancellationToken)
    {
        var turns = new Queue<Protocol.Turn>();
        await foreach (var turn in web.Client.ReadHistoryAsync(threadId, 50, cancellationToken).ConfigureAwait(false))
        {
            if (turn.Id == activeTurnId)
            {
                continue;
            }

            turns.Enqueue(turn);
            if (turns.Count > SnapshotTurns)
            {
                turns.Dequeue();
            }
        }

        var messages = new JsonArray();
        foreach (var item in turns.SelectMany(t => t.Items))
        {
            if (WebSession.Item(item) is JsonObject json)
            {
                foreach (var message in AgUiItems.Messages(json, thread.ToolNames))
                {
                    messages.Add((JsonNode)message);
                }
            }
        }

        return messages;
    }

    /// <summary>
    /// Client tools become codex dynamic tools, which codex offers only on a connection that opted in to its
    /// experimental API: without it, a run with tools is refused before anything of the run reaches codex (the
    /// client connects first, if it has not yet, only to name codex's version).
    /// </summary>
    private async Task RequireToolsOptInAsync(AgUiInput input, CancellationToken cancellationToken)
    {
        if (input.Tools.Count > 0 && !web.Client.Config.Runtime.Connection.ExperimentalApi)
        {
            try
            {
                await web.Client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (CodexException)
            {
                // Not connected: the refusal names no version, and says the same.
            }

            var version = web.Client.Runtime.State.Connection.Server?.Version?.ToString() ?? "this codex";
            throw new CodexWebException(CodexWebErrorKind.InvalidRequest, $"Client-defined tools become codex dynamic tools, which are experimental in codex ({version}) and not offered by this server. The server opts in with ClientConfig.Runtime.Connection.ExperimentalApi = true (AddCodexRuntime(config => ...)); until then send tools: [].", "tools");
        }
    }

    /// <summary>
    /// A thread this server does not know (another tenant's included: it looks the same) can only be a new
    /// conversation: a run that brings the agent's earlier messages or answers interrupts names a thread that is not here.
    /// </summary>
    private static void RequireNewConversation(AgUiInput input)
    {
        if (input.HasReplies || input.Resume.Count > 0 || input.MessageCount == 0)
        {
            throw NotFound();
        }

        if (input.NewText(_ => false) is null)
        {
            throw new CodexWebException(CodexWebErrorKind.InvalidRequest, "A new conversation starts with a user message.", "messages");
        }
    }

    private static CodexWebException NotFound() => CodexWebException.NotFound("conversation");
}

/// <summary>A prepared run.</summary>
/// <param name="ThreadId">The client's thread id.</param>
/// <param name="RunId">The client's run id.</param>
/// <param name="Thread">The AG-UI thread (its client tools, the calls it announced).</param>
/// <param name="Session">The web session the thread runs on.</param>
/// <param name="Run">What the run streams.</param>
/// <param name="Snapshot">The messages of <c>MESSAGES_SNAPSHOT</c>, sent first (a client without messages, a resumed thread); null: none.</param>
internal sealed record AgUiRunPlan(string ThreadId, string RunId, AgUiThread Thread, WebSession Session, AgUiRun Run, JsonArray? Snapshot);
