namespace CodexRuntime;

/// <summary>
/// codex cannot open the thread: it has no record of it ("no rollout found": a wrong id, a thread of another
/// CODEX_HOME, one that never ran a turn) or the thread is archived (0.171.0 says so; older releases answer "no
/// rollout found" for that too, and the archive is looked up). Nothing was opened.
/// </summary>
public sealed class CodexThreadNotFoundException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="threadId">The thread asked for.</param>
    /// <param name="archived">True when codex lists the thread among archived ones; null when that could not be checked.</param>
    /// <param name="error">codex's answer.</param>
    public CodexThreadNotFoundException(string threadId, bool? archived, CodexRpcException error)
        : base(Describe(threadId, archived), error)
    {
        ThreadId = threadId;
        Archived = archived;
    }

    /// <summary>The thread asked for.</summary>
    public string ThreadId { get; }

    /// <summary>
    /// True when the thread exists but is archived (unarchive it with <c>thread/unarchive</c>, e.g.
    /// <c>AppServer.ThreadUnarchiveAsync</c>, then resume it); false when codex has no such thread at all; null when
    /// the archive could not be checked.
    /// </summary>
    public bool? Archived { get; }

    /// <summary>True for codex's answer to a thread it has no record of (-32600 "no rollout found for thread id ...").</summary>
    internal static bool IsNotFound(CodexRpcException error) =>
        error.ErrorMessage.Contains("no rollout found", StringComparison.OrdinalIgnoreCase)
        || error.ErrorMessage.Contains("thread not found", StringComparison.OrdinalIgnoreCase)
        || SaysArchived(error);

    /// <summary>codex 0.171.0 names an archived thread itself ("session ... is archived. Run `codex unarchive ...`").</summary>
    internal static bool SaysArchived(CodexRpcException error) =>
        error.ErrorMessage.Contains("is archived", StringComparison.OrdinalIgnoreCase);

    private static string Describe(string threadId, bool? archived) => archived switch
    {
        true => $"Thread {threadId} is archived, so it cannot be resumed or read. Unarchive it first (thread/unarchive), then resume it.",
        false => $"codex has no thread {threadId}: check the id, and that this client uses the CODEX_HOME the thread was created with (a thread that never ran a turn is not kept).",
        _ => $"codex has no record of thread {threadId} (a wrong id, another CODEX_HOME, a thread that never ran a turn, or an archived thread).",
    };
}
