using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI;

/// <summary>
/// codex as a Microsoft Agent Framework <see cref="AIAgent"/>: a session is a codex thread
/// (<see cref="CodexAgentSession"/>), runs go through a <see cref="CodexChatClient"/> with its mapping (codex's tool use
/// as informational contents, approvals as <see cref="ToolApprovalRequestContent"/>, usage, structured output), and
/// nothing else sits between: no function-invoking middleware and no second copy of the history (docs/ai.md says when
/// to pick this or a <c>ChatClientAgent</c> over the chat client).
/// </summary>
public sealed class CodexAgent : AIAgent
{
    private const string ThreadIdProperty = "threadId";

    private readonly string? _name;
    private readonly string? _description;
    private readonly string? _instructions;

    /// <summary>Creates an agent over <paramref name="chatClient"/>.</summary>
    /// <param name="chatClient">The chat client whose threads the sessions are; not owned.</param>
    /// <param name="name">The agent's name (a workflow shows it as the author of its messages).</param>
    /// <param name="instructions">Developer instructions for every new thread.</param>
    /// <param name="description">What the agent does.</param>
    public CodexAgent(CodexChatClient chatClient, string? name = null, string? instructions = null, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ChatClient = chatClient;
        _name = name;
        _instructions = instructions;
        _description = description;
    }

    /// <summary>The chat client the agent runs on.</summary>
    public CodexChatClient ChatClient { get; }

    /// <inheritdoc />
    public override string? Name => _name;

    /// <inheritdoc />
    public override string? Description => _description;

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        base.GetService(serviceType, serviceKey) ?? ChatClient.GetService(serviceType, serviceKey);

    /// <inheritdoc />
    protected override ValueTask<AgentSession> CreateSessionCoreAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<AgentSession>(new CodexAgentSession());

    /// <inheritdoc />
    protected override ValueTask<JsonElement> SerializeSessionCoreAsync(AgentSession session, JsonSerializerOptions? jsonSerializerOptions, CancellationToken cancellationToken)
    {
        var codexSession = Own(session);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(ThreadIdProperty, codexSession.ThreadId);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return ValueTask.FromResult(document.RootElement.Clone());
    }

    /// <inheritdoc />
    protected override ValueTask<AgentSession> DeserializeSessionCoreAsync(JsonElement serializedState, JsonSerializerOptions? jsonSerializerOptions, CancellationToken cancellationToken)
    {
        if (serializedState.ValueKind != JsonValueKind.Object || !serializedState.TryGetProperty(ThreadIdProperty, out var threadId) || threadId.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            throw new ArgumentException($"A serialized CodexAgent session is an object with a \"{ThreadIdProperty}\" string; got {serializedState.ValueKind}.", nameof(serializedState));
        }

        return ValueTask.FromResult<AgentSession>(new CodexAgentSession(threadId.GetString()));
    }

    /// <inheritdoc />
    protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default) =>
        await RunCoreStreamingAsync(messages, session, options, cancellationToken).ToAgentResponseAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Without a session the run has a thread of its own that nobody continues.
        var codexSession = session is null ? new CodexAgentSession() : Own(session);
        var chatOptions = new ChatOptions
        {
            ConversationId = codexSession.ThreadId,
            Instructions = _instructions,
            ResponseFormat = options?.ResponseFormat,
            AdditionalProperties = options?.AdditionalProperties,
        };
        await foreach (var update in ChatClient.GetStreamingResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false))
        {
            codexSession.ThreadId ??= update.ConversationId;
            yield return new AgentResponseUpdate(update) { AgentId = Id, AuthorName = Name };
        }
    }

    private static CodexAgentSession Own(AgentSession session) =>
        session as CodexAgentSession ?? throw new ArgumentException($"A CodexAgent runs on its own sessions (CodexAgentSession, from CreateSessionAsync or DeserializeSessionAsync); got {session.GetType().Name}.", nameof(session));
}
