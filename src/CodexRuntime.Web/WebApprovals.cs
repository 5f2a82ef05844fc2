using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Serialization;
using CodexRuntime.ServerRequests;
using CodexRuntime.Web.Sessions;

namespace CodexRuntime.Web;

/// <summary>
/// One web session's pending approvals: every server request of its running turn that a person answers. All of them
/// come from the turn's stream, in wire order: command and file-change approvals (after the core's hooks and handlers
/// had their say) as <see cref="ApprovalRequestedEvent"/>s, the other kinds (permissions, user input, MCP elicitation,
/// dynamic tool calls) as <see cref="ServerRequestEvent"/>s, which the session's profile asks for
/// (<see cref="RunProfile.TurnServerRequests"/>). Each is announced on the approvals and events logs, kept (bounded)
/// until a subscriber answers it once, and otherwise answered by the deadline policy. The JSON-RPC id stays here:
/// clients see an opaque id.
/// </summary>
internal sealed class WebApprovals
{
    /// <summary>The implementation-defined JSON-RPC error code of an answer a person gave as an error.</summary>
    private const int RefusedByUser = -32000;

    private static readonly string[] Decisions = ["accept", "acceptForSession", "decline", "cancel"];

    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly EventLog _events;
    private readonly EventLog _approvals;
    private readonly WebMetrics _metrics;
    private readonly CancellationToken _closing;
    private readonly TimeSpan? _timeout;
    private readonly CodexServerRequestPolicy _deadlinePolicy;

    // timeout: the web's own deadline (WebAdapterOptions.ApprovalTimeout; null: the runtime's, which answers by itself);
    // deadlinePolicy: the runtime's deadline policy, so an approval ends the same way whichever deadline comes first.
    public WebApprovals(int capacity, EventLog events, EventLog approvals, WebMetrics metrics, TimeSpan? timeout, CodexServerRequestPolicy deadlinePolicy, CancellationToken closing)
    {
        _timeout = timeout;
        _deadlinePolicy = deadlinePolicy;
        _capacity = capacity;
        _events = events;
        _approvals = approvals;
        _metrics = metrics;
        _closing = closing;
    }

    /// <summary>The pending approvals, oldest first.</summary>
    public IReadOnlyList<WebApproval> List() => _pending.Values.OrderBy(p => p.AnnouncedAt).Select(p => p.View).ToArray();

    /// <summary>A command or file-change approval from the turn's stream: waits for its answer, its deadline, or the session's end.</summary>
    public Task OfferAsync(CodexApprovalRequest approval)
    {
        var kind = approval.Kind == CodexApprovalKind.Command ? WebApprovalKinds.Command : WebApprovalKinds.FileChange;
        var view = new WebApproval(Guid.NewGuid().ToString(), kind.Name, approval.TurnId, approval.Command, approval.Cwd, approval.Reason, Decisions, kind.Type.ResponseType.Name, approval.Request.Params.Clone());
        return HoldAsync(new Pending(view, approval.Request, approval));
    }

    /// <summary>A request of another kind from the turn's stream: waits for its answer, its deadline, or the session's end.</summary>
    public Task OfferAsync(CodexServerRequest request)
    {
        if (WebApprovalKinds.Other.FirstOrDefault(k => request.Is(k.Type)) is not { } kind)
        {
            return Task.CompletedTask; // not one a client answers: the turn hands it back to the runtime's answerers
        }

        var view = new WebApproval(Guid.NewGuid().ToString(), kind.Name, request.TurnId, null, null, Reason(request.Params), [], kind.Type.ResponseType.Name, request.Params.Clone());
        return HoldAsync(new Pending(view, request, null));
    }

    /// <summary>Answers an approval once: with a decision (command and file change), a result of its kind's response type, or an error.</summary>
    public async Task AnswerAsync(string approvalId, WebApprovalAnswer answer)
    {
        if (!_pending.TryGetValue(approvalId, out var pending))
        {
            throw CodexWebException.NotFound("approval");
        }

        var reply = Prepare(pending, answer);

        // Single use: only the caller that removes it answers it.
        if (!_pending.TryRemove(approvalId, out _))
        {
            throw CodexWebException.NotFound("approval");
        }

        var written = await reply().ConfigureAwait(false);
        var outcome = answer.Decision ?? (answer.Result is not null ? "result" : "error");
        Resolved(pending, written ? outcome : "expired");
        if (!written)
        {
            throw new CodexWebException(CodexWebErrorKind.NotFound, "The approval was already answered (its deadline passed, or codex withdrew it).");
        }
    }

    /// <summary>Whether the approval still waits for an answer.</summary>
    public bool IsPending(string approvalId) => _pending.ContainsKey(approvalId);

    /// <summary>
    /// Checks an answer without sending it: the approval is pending and its kind takes the answer. An AG-UI run
    /// answering several interrupts checks every one first, so a bad answer reaches codex with none of the others.
    /// </summary>
    public WebApproval Check(string approvalId, WebApprovalAnswer answer)
    {
        if (!_pending.TryGetValue(approvalId, out var pending))
        {
            throw CodexWebException.NotFound("approval");
        }

        _ = Prepare(pending, answer);
        return pending.View;
    }

    /// <summary>Checks the answer against the request's kind before anything is sent, so a bad answer leaves the approval pending.</summary>
    private static Func<Task<bool>> Prepare(Pending pending, WebApprovalAnswer answer)
    {
        if (answer.Decision is { } decision)
        {
            if (pending.Approval is not { } approval)
            {
                throw new CodexWebException(CodexWebErrorKind.InvalidApprovalAnswer, $"A {pending.View.Kind} request takes a result (a {pending.View.ResultType}) or an error, not a decision.", "decision");
            }

            var typed = decision switch
            {
                "accept" => CodexApprovalDecision.Accept,
                "acceptForSession" => CodexApprovalDecision.AcceptForSession,
                "decline" => CodexApprovalDecision.Decline,
                "cancel" => CodexApprovalDecision.Cancel,
                _ => throw new CodexWebException(CodexWebErrorKind.InvalidApprovalAnswer, $"'{decision}' is not an answer to a {pending.View.Kind} approval; send one of: {string.Join(", ", Decisions)}.", "decision"),
            };
            return () => approval.RespondAsync(typed);
        }

        if (answer.Result is { } result)
        {
            var type = WebApprovalKinds.ByName(pending.View.Kind).Type.ResponseType;
            try
            {
                // The result must be its kind's response type: codex never gets a reply it cannot read.
                _ = JsonSerializer.Deserialize(result, CodexJsonContext.WireOptions.GetTypeInfo(type));
            }
            catch (JsonException ex)
            {
                throw new CodexWebException(CodexWebErrorKind.InvalidApprovalAnswer, $"result is not a {type.Name}: {ex.Message}", "result");
            }

            return () => pending.Request.RespondAsync(result);
        }

        return () => pending.Request.RespondErrorAsync(RefusedByUser, answer.ErrorMessage!);
    }

    private async Task HoldAsync(Pending pending)
    {
        if (_pending.Count >= _capacity)
        {
            // Not held: when the turn's reader moves on, the core answers it (approvals by the profile's policy, the
            // other kinds by the runtime's handlers or policy).
            return;
        }

        var view = pending.View;
        var data = JsonSerializer.SerializeToNode(view, WebJsonContext.Default.WebApproval)!.ToJsonString();
        _pending[view.ApprovalId] = pending; // answerable before anyone can see it
        pending.AnnouncedAt = _approvals.Append("approval", data);
        _events.Append("approval", data);
        try
        {
            var answered = pending.Answered.Task.WaitAsync(pending.Request.Abandoned).WaitAsync(_closing);
            await (_timeout is { } timeout ? answered.WaitAsync(timeout) : answered).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            if (_pending.TryRemove(view.ApprovalId, out _))
            {
                await AnswerByPolicyAsync(pending).ConfigureAwait(false);
                Resolved(pending, "expired");
            }
            else
            {
                // A subscriber's answer won the race: hold the turn until it is written, as for any answer.
                await pending.Answered.Task.WaitAsync(_closing).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            if (_pending.TryRemove(view.ApprovalId, out _))
            {
                Resolved(pending, "expired");
            }
        }
    }

    /// <summary>What the runtime's deadline policy answers (<c>CodexServerRequestDispatcher</c> does the same at its own deadline).</summary>
    private Task<bool> AnswerByPolicyAsync(Pending pending)
    {
        var policy = _deadlinePolicy;
        if (policy != CodexServerRequestPolicy.Error)
        {
            var decline = policy == CodexServerRequestPolicy.Decline;
            if (pending.Approval is { } approval)
            {
                return approval.RespondAsync(decline ? CodexApprovalDecision.Decline : CodexApprovalDecision.Cancel);
            }

            if (pending.Request.Is(CodexServerRequests.McpServerElicitationRequest))
            {
                return pending.Request.RespondAsync(CodexServerRequests.McpServerElicitationRequest, new McpServerElicitationRequestResponse
                {
                    Action = decline ? McpServerElicitationAction.Decline : McpServerElicitationAction.Cancel,
                });
            }
        }

        return pending.Request.RespondErrorAsync(CodexRpcErrorCodes.InternalError, $"Nobody answered within {_timeout?.TotalSeconds:0.###} s.");
    }

    private void Resolved(Pending pending, string outcome)
    {
        var data = new JsonObject { ["approvalId"] = pending.View.ApprovalId, ["outcome"] = outcome }.ToJsonString();
        _events.Append("approvalResolved", data);
        _approvals.Append("approvalResolved", data);
        _metrics.ApprovalResolved(outcome);
        pending.Answered.TrySetResult();
    }

    private static string? Reason(JsonElement parameters) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;

    private sealed record Pending(WebApproval View, CodexServerRequest Request, CodexApprovalRequest? Approval)
    {
        /// <summary>Its id in the approvals log: pending approvals are listed oldest first.</summary>
        public long AnnouncedAt { get; set; }

        public TaskCompletionSource Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
