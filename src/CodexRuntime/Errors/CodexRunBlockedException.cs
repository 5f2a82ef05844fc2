
namespace CodexRuntime;

/// <summary>
/// An interceptor (a hook) blocked the run in a pre phase; nothing of the blocked step was sent. SPEC's
/// <c>BlockedByHook</c>.
/// </summary>
public sealed class CodexRunBlockedException : CodexRunException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="blockedBy">The interceptor's name.</param>
    /// <param name="phase">The phase it blocked.</param>
    /// <param name="reason">Its reason.</param>
    /// <param name="report">Every interceptor call of the run so far.</param>
    /// <param name="threadId">The thread, when there was one.</param>
    public CodexRunBlockedException(string blockedBy, CodexRunPhase phase, string reason, IReadOnlyList<CodexInterceptionRecord> report, string? threadId = null)
        : base($"'{blockedBy}' blocked the run in {phase}: {reason}", threadId)
    {
        BlockedBy = blockedBy;
        Phase = phase;
        Reason = reason;
        Report = report;
    }

    /// <summary>The interceptor (hook) that blocked.</summary>
    public string BlockedBy { get; }

    /// <summary>The phase it blocked.</summary>
    public CodexRunPhase Phase { get; }

    /// <summary>Its reason.</summary>
    public string Reason { get; }

    /// <summary>Every interceptor call of the run up to the block.</summary>
    public IReadOnlyList<CodexInterceptionRecord> Report { get; }
}
