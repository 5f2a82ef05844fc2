
namespace CodexRuntime.Hooks.Tests;

/// <summary>Contexts shared by the tests.</summary>
internal static class TestHooks
{
    public static readonly CodexRunPhase[] PrePhases = [CodexRunPhase.PreRun, CodexRunPhase.PreSessionStart, CodexRunPhase.PreTurn, CodexRunPhase.PreToolUse];

    public static readonly CodexRunPhase[] PostPhases = [CodexRunPhase.PostRun, CodexRunPhase.PostSessionStart, CodexRunPhase.PostTurn, CodexRunPhase.PostToolUse];

    public static CodexRunContext Context(CodexRunPhase phase, string cwd = "/work/repo", CodexToolUse? tool = null, string? prompt = "hello", IReadOnlyDictionary<string, string>? metadata = null) =>
        new(phase, cwd, "thread-1", "turn-1", prompt, "gpt-test", [], metadata ?? new Dictionary<string, string>(), tool);

    /// <summary>The phases <paramref name="interceptor"/> takes part in (the only ones the core calls it in).</summary>
    public static CodexRunPhase[] Handled(ICodexRunInterceptor interceptor) => Enum.GetValues<CodexRunPhase>().Where(interceptor.Handles).ToArray();

    /// <summary>Calls <paramref name="interceptor"/> the way the core does: in every phase it handles.</summary>
    public static async Task<List<CodexInterceptorDecision>> CallEveryHandledPhaseAsync(ICodexRunInterceptor interceptor, CodexToolUse? tool = null)
    {
        var decisions = new List<CodexInterceptorDecision>();
        foreach (var phase in Handled(interceptor))
        {
            decisions.Add(await interceptor.InterceptAsync(Context(phase, tool: tool), CancellationToken.None));
        }

        return decisions;
    }
}

/// <summary>Delegates for <see cref="HookBuilder.Pre"/> / <see cref="HookBuilder.Post"/> that record the phases they were called in; pre calls answer with a fixed decision.</summary>
internal sealed class Recorder(CodexInterceptorDecision? decision = null)
{
    public List<CodexRunPhase> Calls { get; } = [];

    public ValueTask<CodexInterceptorDecision> Pre(CodexRunContext context, CancellationToken cancellationToken)
    {
        Record(context);
        return ValueTask.FromResult(decision ?? CodexInterceptorDecision.Continue);
    }

    public ValueTask Post(CodexRunContext context, CancellationToken cancellationToken)
    {
        Record(context);
        return ValueTask.CompletedTask;
    }

    private void Record(CodexRunContext context)
    {
        lock (Calls)
        {
            Calls.Add(context.Phase);
        }
    }
}

/// <summary>A hook written as a class: the core's interceptor, taking <paramref name="phases"/> (every phase when none), recording its calls.</summary>
internal sealed class RecordingHook(string name, CodexInterceptorDecision? decision = null, params CodexRunPhase[] phases) : ICodexRunInterceptor
{
    public string Name { get; } = name;

    public Recorder Recorder { get; } = new(decision);

    public List<CodexRunPhase> Calls => Recorder.Calls;

    public bool Handles(CodexRunPhase phase) => phases.Length == 0 || phases.Contains(phase);

    public ValueTask<CodexInterceptorDecision> InterceptAsync(CodexRunContext context, CancellationToken cancellationToken) => Recorder.Pre(context, cancellationToken);
}
