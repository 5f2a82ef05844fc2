using CodexRuntime.Protocol;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI;

/// <summary>
/// One codex thread a <see cref="CodexChatClient"/> has open: its session, the profile it opened with (each call's
/// settings start from it again), and the turn parked on a question (an approval, a tool call) the caller has not
/// answered yet.
/// </summary>
internal sealed class ChatThread(CodexSession session)
{
    private readonly RunProfile _baseline = session.Profile.Clone();
    private readonly Lock _gate = new();
    private ParkedTurn? _parked;

    public CodexSession Session { get; } = session;

    /// <summary>Sets the session's profile for the next turn: the opening profile, then what <paramref name="options"/> asks for.</summary>
    public void Apply(ChatOptions? options)
    {
        var profile = Session.Profile;
        profile.Model = options?.ModelId ?? _baseline.Model;
        profile.Sandbox = Setting(options, CodexChatOptionKeys.Sandbox, _baseline.Sandbox);
        profile.ApprovalPolicy = Setting(options, CodexChatOptionKeys.ApprovalPolicy, _baseline.ApprovalPolicy);
    }

    public void Park(ParkedTurn turn)
    {
        lock (_gate)
        {
            _parked = turn;
        }
    }

    public ParkedTurn? TakeParked()
    {
        lock (_gate)
        {
            var parked = _parked;
            _parked = null;
            return parked;
        }
    }

    private static T Setting<T>(ChatOptions? options, string key, T fallback)
        where T : struct, Enum
    {
        if (options?.AdditionalProperties?.TryGetValue(key, out var value) != true || value is null)
        {
            return fallback;
        }

        return value switch
        {
            T typed => typed,
            string name when Enum.TryParse<T>(name, ignoreCase: true, out var parsed) => parsed,
            _ => throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{key}\"] is {value}; use a {typeof(T).Name} value or its name ({string.Join(", ", Enum.GetNames<T>())}).", nameof(options)),
        };
    }
}

/// <summary>A turn that stopped streaming at a question (an approval or a tool call); the next call with the answer reads on from here.</summary>
internal sealed record ParkedTurn(CodexTurn Turn, IAsyncEnumerator<CodexTurnEvent> Events, CancellationTokenSource Stop, TurnUpdates Updates, TurnQuestion Question);
