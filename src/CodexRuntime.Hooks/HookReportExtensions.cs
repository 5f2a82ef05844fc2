
namespace CodexRuntime.Hooks;

/// <summary>Reads the <see cref="HookReport"/> of a run from what the run returned or threw.</summary>
public static class HookReportExtensions
{
    /// <summary>The hook calls of the run that produced <paramref name="result"/>.</summary>
    /// <param name="result">The run's result.</param>
    /// <returns>The report.</returns>
    public static HookReport GetHookReport(this PromptRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new HookReport(result.Interceptions);
    }

    /// <summary>The hook calls of the session's start (<c>PreSessionStart</c>, <c>PostSessionStart</c>): <see cref="CodexSession.StartInterceptions"/>.</summary>
    /// <param name="session">The session.</param>
    /// <returns>The report.</returns>
    public static HookReport GetHookReport(this CodexSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new HookReport(session.StartInterceptions);
    }

    /// <summary>The hook calls of the blocked run, up to and including the block.</summary>
    /// <param name="exception">The run's error.</param>
    /// <returns>The report.</returns>
    public static HookReport GetHookReport(this CodexRunBlockedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new HookReport(exception.Report);
    }
}
