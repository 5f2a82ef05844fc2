using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI;

/// <summary>
/// codex as a Microsoft.Extensions.AI <see cref="IChatClient"/>. <see cref="ChatOptions.ConversationId"/> is codex's
/// thread id: absent, a new thread starts; present, that thread is resumed (its memory kept), and every response and
/// update carries the thread id back. codex holds the history, so on an existing thread only the messages after the
/// last assistant or tool message of the list are sent; a new thread gets the whole list (earlier replies as a
/// transcript, their text only). codex's own tool use streams as informational call and result contents (never
/// invoked again by function-invoking middleware), approvals as <see cref="ToolApprovalRequestContent"/> answered by a
/// <see cref="ToolApprovalResponseContent"/> in the next call, usage as <see cref="UsageContent"/> (docs/ai.md).
/// </summary>
/// <remarks>
/// The client does not own the <see cref="CodexClient"/>. Disposing it lets go of the sessions it opened (threads stay on
/// disk and can be resumed by id); a turn that still runs is interrupted. Cancelling a call interrupts its turn
/// (<c>turn/interrupt</c>), so no turn is left running.
/// </remarks>
public sealed class CodexChatClient : IChatClient, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ChatThread> _threads = new(StringComparer.Ordinal);
    private readonly SessionConfig _template;
    private readonly ChatClientMetadata _metadata;
    private int _disposed;

    /// <summary>Creates a chat client over <paramref name="client"/>.</summary>
    /// <param name="client">The codex client (one codex process) the threads run on; not owned.</param>
    /// <param name="session">
    /// Where and how every thread runs: its working folder, profile (sandbox, approval policy and handlers, model) and
    /// developer instructions; each thread gets its own copy. <see cref="ChatOptions"/> adjust a copy per call.
    /// </param>
    public CodexChatClient(CodexClient client, SessionConfig session)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(session);
        Client = client;
        _template = session;
        _metadata = new ChatClientMetadata("codex", null, (session.Profile ?? client.Config.DefaultProfile).Model);
    }

    /// <summary>The codex client the threads run on.</summary>
    public CodexClient Client { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var request = ChatRequest.Read(messages, newThread: options?.ConversationId is null);
        var thread = await OpenAsync(options, request, cancellationToken).ConfigureAwait(false);
        var parked = thread.TakeParked();
        if (parked is null && request.HasAnswers)
        {
            var answered = request.Approvals.Select(a => a.RequestId).Concat(request.ToolResults.Select(r => r.CallId));
            throw new InvalidOperationException($"Nothing waits for an answer on thread {thread.Session.ThreadId}; the call answers {string.Join(", ", answered)}.");
        }

        TurnUpdates updates;
        CodexTurn turn;
        IAsyncEnumerator<CodexTurnEvent> events;
        CancellationTokenSource stop;
        if (parked is not null)
        {
            if (request.Text.Length > 0 || !parked.Question.IsAnsweredBy(request))
            {
                // Nothing is sent: the question keeps waiting for its answer (or the core's deadline).
                thread.Park(parked);
                throw new InvalidOperationException($"Thread {thread.Session.ThreadId} waits for {parked.Question.Describe()} before the next message.");
            }

            // False when the core already answered by policy at the request's deadline: the turn went on without it.
            await parked.Question.AnswerAsync(request).ConfigureAwait(false);
            (turn, events, stop, updates) = (parked.Turn, parked.Events, parked.Stop, parked.Updates);
        }
        else
        {
            if (request.Text.Length == 0)
            {
                throw new ArgumentException("The messages after the last assistant message hold no user text to send to codex.", nameof(messages));
            }

            thread.Apply(options);
            turn = await thread.Session.AskStreamingAsync(request.Prompt(options), cancellationToken).ConfigureAwait(false);
            updates = new TurnUpdates(thread.Session.Profile.Model ?? _metadata.DefaultModelId, TimeProvider.System);
            // The turn's stream outlives a call that parks it on a question: its own token, cancelled from each call's.
            stop = new CancellationTokenSource();
            events = turn.GetAsyncEnumerator(stop.Token);
        }

        var keep = false;
        using var cancel = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), stop);
        try
        {
            while (await events.MoveNextAsync().ConfigureAwait(false))
            {
                var e = events.Current;
                if (e is ApprovalRequestedEvent { Request: var approval } && !ReferenceEquals(thread.Session.Profile.Approvals, CodexApprovalHandler.DeclineAll))
                {
                    // The profile's own handler decides: no round trip through the caller.
                    var decision = await thread.Session.Profile.Approvals.DecideAsync(approval, approval.Abandoned).ConfigureAwait(false);
                    await approval.RespondAsync(decision).ConfigureAwait(false);
                    continue;
                }

                if (Question(e) is { } question)
                {
                    thread.Park(new ParkedTurn(turn, events, stop, updates, question));
                    keep = true;
                    yield return new ChatResponseUpdate(ChatRole.Assistant, [question.Content])
                    {
                        ConversationId = e.ThreadId,
                        ResponseId = e.TurnId,
                        MessageId = question.Id,
                        FinishReason = question.FinishReason,
                        RawRepresentation = e,
                    };
                    yield break;
                }

                if (e is TurnCompletedEvent completed)
                {
                    ThrowIfUnsuccessful(completed.Result);
                    yield return updates.Finished(completed);
                    continue;
                }

                foreach (var update in updates.Map(e))
                {
                    yield return update;
                }
            }
        }
        finally
        {
            if (!keep)
            {
                // Ends the turn if it still runs (turn/interrupt) and releases its stream; the session takes the next turn.
                await events.DisposeAsync().ConfigureAwait(false);
                await turn.DisposeAsync().ConfigureAwait(false);
                stop.Dispose();
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Answers <see cref="CodexClient"/>, <see cref="ChatClientMetadata"/>, this client, and — with a thread id as the
    /// key — the open <see cref="CodexSession"/> of that thread.
    /// </remarks>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is string threadId)
        {
            return serviceType == typeof(CodexSession) && _threads.TryGetValue(threadId, out var thread) ? thread.Session : null;
        }

        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(CodexClient) ? Client
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Lets go of the open sessions (their threads stay resumable); a running or parked turn is interrupted.</summary>
    /// <returns>A task that completes when every session is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var thread in _threads.Values)
        {
            if (thread.TakeParked() is { } parked)
            {
                await parked.Events.DisposeAsync().ConfigureAwait(false);
                await parked.Turn.DisposeAsync().ConfigureAwait(false);
                parked.Stop.Dispose();
            }

            await thread.Session.DisposeAsync().ConfigureAwait(false);
        }

        _threads.Clear();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The question an event asks the caller, if it asks one: an approval, or a call of one of the thread's dynamic tools.</summary>
    private static TurnQuestion? Question(CodexTurnEvent e) => e switch
    {
        ApprovalRequestedEvent { Request: var approval } => new ApprovalQuestion(approval),
        ServerRequestEvent { Request: var request } when request.Is(Protocol.CodexServerRequests.ItemToolCall) => new ToolCallQuestion(request),
        _ => null,
    };

    /// <summary>Failed and interrupted turns end the call with the core's exceptions, as <see cref="CodexSession.AskAsync(CodexPrompt, CancellationToken)"/> does.</summary>
    private static void ThrowIfUnsuccessful(PromptRunResult result)
    {
        switch (result.Status)
        {
            case Protocol.TurnStatus.Failed:
                throw new CodexRunFailedException(result);
            case Protocol.TurnStatus.Interrupted:
                throw new CodexRunInterruptedException(result);
        }
    }

    /// <summary>The thread of the call: the open one, a resumed one, or a new one.</summary>
    private async Task<ChatThread> OpenAsync(ChatOptions? options, ChatRequest request, CancellationToken cancellationToken)
    {
        var threadId = options?.ConversationId;
        if (threadId is not null && _threads.TryGetValue(threadId, out var open))
        {
            return open;
        }

        var config = new SessionConfig(_template.Cwd, (_template.Profile ?? Client.Config.DefaultProfile).Clone())
        {
            DeveloperInstructions = Join(_template.DeveloperInstructions, options?.Instructions, request.SystemText),
        };

        // codex's calls of the thread's dynamic tools come to the turn's stream, where they become the caller's
        // function calls; a thread without tools never gets one.
        if (!config.Profile!.TurnServerRequests.Contains(Protocol.CodexServerRequests.ItemToolCall.Method))
        {
            config.Profile.TurnServerRequests.Add(Protocol.CodexServerRequests.ItemToolCall.Method);
        }

        if (threadId is null && options?.Tools is { Count: > 0 })
        {
            // Connected first, so a refusal can name the codex version.
            await Client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            foreach (var tool in ChatTools.Offer(options.Tools, Client))
            {
                config.DynamicTools.Add(tool);
            }
        }

        var session = threadId is null
            ? await Client.StartSessionAsync(config, cancellationToken).ConfigureAwait(false)
            : await Client.ResumeSessionAsync(threadId, config, cancellationToken).ConfigureAwait(false);
        var thread = new ChatThread(session);
        if (!_threads.TryAdd(session.ThreadId, thread))
        {
            // Another call opened the same thread meanwhile: use that one.
            await session.DisposeAsync().ConfigureAwait(false);
            return _threads[session.ThreadId];
        }

        return thread;
    }

    private static string? Join(params string?[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToArray();
        return present.Length == 0 ? null : string.Join("\n\n", present);
    }
}
