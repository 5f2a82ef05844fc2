
namespace CodexRuntime.Hooks;

/// <summary>
/// The hook calls of one run, in call order, as the core records them (<see cref="CodexInterceptionRecord"/>), with
/// the filters a reader wants: built from the run's own report (<c>PromptRunResult.Interceptions</c>, or
/// <c>CodexRunBlockedException.Report</c> when a hook blocked the run), never from another run's. Get it with
/// <see cref="HookReportExtensions.GetHookReport(CodexRuntime.PromptRunResult)"/>.
/// </summary>
/// <remarks>
/// Every hook is an interceptor, and the core records interceptors by name only, so interceptors that did not come
/// from this package (if any are registered) appear here too, under their names.
/// </remarks>
public sealed class HookReport
{
    /// <summary>Creates the report of <paramref name="records"/>.</summary>
    /// <param name="records">The run's interceptor records, in call order.</param>
    public HookReport(IEnumerable<CodexInterceptionRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        Entries = records.ToArray();
    }

    /// <summary>An empty report.</summary>
    public static HookReport Empty { get; } = new([]);

    /// <summary>Every call, in order.</summary>
    public IReadOnlyList<CodexInterceptionRecord> Entries { get; }

    /// <summary>The calls that failed or timed out (recorded; the run went on without them).</summary>
    public IReadOnlyList<CodexInterceptionRecord> Issues => Entries.Where(entry => entry.Outcome is CodexInterceptionOutcome.Failed or CodexInterceptionOutcome.TimedOut).ToArray();

    /// <summary>The calls that blocked: the one that stopped the run, or each declined tool use.</summary>
    public IReadOnlyList<CodexInterceptionRecord> Blocks => Entries.Where(entry => entry.Outcome == CodexInterceptionOutcome.Blocked).ToArray();

    /// <summary>The calls of one hook.</summary>
    /// <param name="hookName">The hook's name.</param>
    /// <returns>Its calls, in order.</returns>
    public IReadOnlyList<CodexInterceptionRecord> For(string hookName) =>
        Entries.Where(entry => string.Equals(entry.Interceptor, hookName, StringComparison.Ordinal)).ToArray();
}
