using CodexRuntime.ServerRequests;

namespace CodexRuntime.State;

/// <summary>
/// An immutable snapshot of what the runtime knows: its connection, the threads, turns and items it has seen, and
/// the server requests not answered yet. Taking a snapshot copies; holding one never blocks the runtime.
/// </summary>
/// <param name="Connection">The connection.</param>
/// <param name="Threads">Threads seen on this runtime, least recently active first.</param>
/// <param name="PendingServerRequests">Server requests not answered yet, oldest first.</param>
/// <param name="TakenAt">When the snapshot was taken.</param>
public sealed record CodexRuntimeState(
    CodexConnectionState Connection,
    IReadOnlyList<CodexThreadSnapshot> Threads,
    IReadOnlyList<CodexPendingServerRequest> PendingServerRequests,
    DateTimeOffset TakenAt)
{
    /// <summary>The thread with this id, if the snapshot has it.</summary>
    /// <param name="threadId">The thread id.</param>
    /// <returns>The thread or null.</returns>
    public CodexThreadSnapshot? FindThread(string threadId) => Threads.FirstOrDefault(t => t.Id == threadId);

    /// <summary>The turn with this id, if the snapshot has it.</summary>
    /// <param name="turnId">The turn id.</param>
    /// <returns>The turn or null.</returns>
    public CodexTurnSnapshot? FindTurn(string turnId) => Threads.SelectMany(t => t.Turns).FirstOrDefault(t => t.Id == turnId);

    /// <summary>The item with this id, if the snapshot has it.</summary>
    /// <param name="itemId">The item id.</param>
    /// <returns>The item or null.</returns>
    public CodexItemSnapshot? FindItem(string itemId) => Threads.SelectMany(t => t.Turns).SelectMany(t => t.Items).FirstOrDefault(i => i.Id == itemId);
}
