using CodexRuntime.Protocol;

namespace CodexRuntime.State;

/// <summary>One thread at the moment of a snapshot.</summary>
/// <param name="Id">The thread id.</param>
/// <param name="Name">Its name, if it has one.</param>
/// <param name="Status">Its latest status (idle, active, ...), if codex reported one.</param>
/// <param name="IsArchived">True after <c>thread/archived</c>.</param>
/// <param name="IsClosed">True after <c>thread/closed</c>.</param>
/// <param name="Thread">The thread as codex last described it (<c>thread/started</c>, or a start/resume/fork response).</param>
/// <param name="Turns">The turns kept (<see cref="CodexStateOptions.MaxTurnsPerThread"/>), oldest first.</param>
/// <param name="ForgottenTurns">How many older turns were dropped to stay within the limit.</param>
public sealed record CodexThreadSnapshot(
    string Id,
    string? Name,
    ThreadStatus? Status,
    bool IsArchived,
    bool IsClosed,
    CodexThread? Thread,
    IReadOnlyList<CodexTurnSnapshot> Turns,
    int ForgottenTurns);
