namespace CodexRuntime;

/// <summary>
/// codex warned about the thread while the turn ran (a <c>warning</c> notification), e.g. missing model metadata.
/// The turn goes on. Also logged at Warning; warnings about no thread (<c>configWarning</c>, <c>deprecationNotice</c>)
/// are logged and kept in <see cref="CodexRuntimeHost.Notices"/>.
/// </summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn that was running.</param>
/// <param name="Message">codex's warning.</param>
public sealed record WarningEvent(string ThreadId, string TurnId, string Message) : CodexTurnEvent(ThreadId, TurnId);
