using CodexRuntime.Interception;

namespace CodexRuntime.Hooks;

/// <summary>
/// The hook calls of one run, in call order: built from the run's own report (<c>PromptRunResult.Interceptions</c>,
/// or <c>CodexRunBlockedException.Report</c> when a hook blocked the run), never from another run's. Get it with
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
        Entries = records.Select(HookReportEntry.From).ToArray();
    }

    /// <summary>An empty report.</summary>
    public static HookReport Empty { get; } = new([]);

    /// <summary>Every call, in order.</summary>
    public IReadOnlyList<HookReportEntry> Entries { get; }

    /// <summary>The calls that failed or timed out (recorded; the run went on without them).</summary>
    public IReadOnlyList<HookReportEntry> Issues => Entries.Where(entry => entry.IsIssue).ToArray();

    /// <summary>The calls that blocked: the one that stopped the run, or each declined tool use.</summary>
    public IReadOnlyList<HookReportEntry> Blocks => Entries.Where(entry => entry.Outcome == CodexInterceptionOutcome.Blocked).ToArray();

    /// <summary>The calls of one hook.</summary>
    /// <param name="hookName">The hook's name.</param>
    /// <returns>Its calls, in order.</returns>
    public IReadOnlyList<HookReportEntry> For(string hookName) =>
        Entries.Where(entry => string.Equals(entry.HookName, hookName, StringComparison.Ordinal)).ToArray();
}
