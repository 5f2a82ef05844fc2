using CodexRuntime.Interception;

namespace CodexRuntime.Hooks.Tests;

/// <summary>Contexts and recording hooks shared by the tests.</summary>
internal static class TestHooks
{
    public static readonly CodexRunPhase[] PrePhases = [CodexRunPhase.PreRun, CodexRunPhase.PreSessionStart, CodexRunPhase.PreTurn, CodexRunPhase.PreToolUse];

    public static readonly CodexRunPhase[] PostPhases = [CodexRunPhase.PostRun, CodexRunPhase.PostSessionStart, CodexRunPhase.PostTurn, CodexRunPhase.PostToolUse];

    public static CodexRunContext Context(CodexRunPhase phase, string cwd = "/work/repo", CodexToolUse? tool = null, string? prompt = "hello", IReadOnlyDictionary<string, string>? metadata = null) =>
        new(phase, cwd, "thread-1", "turn-1", prompt, "gpt-test", [], metadata ?? new Dictionary<string, string>(), tool);

    public static HookContext HookContext(CodexRunPhase phase, string cwd = "/work/repo", CodexToolUse? tool = null, string? prompt = "hello") =>
        new(Context(phase, cwd, tool, prompt));
}

/// <summary>A pre hook that records the phases it was called in and answers with a fixed action.</summary>
internal sealed class RecordingPreHook(string name, HookAction? action = null) : IPreHook
{
    public RecordingPreHook()
        : this("recording-pre")
    {
    }

    public string Name { get; } = name;

    public List<CodexRunPhase> Calls { get; } = [];

    public ValueTask<HookAction> OnPreAsync(HookContext context, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add(context.Phase);
        }

        return ValueTask.FromResult(action ?? HookAction.Noop);
    }
}

/// <summary>A post hook that records the phases it was called in.</summary>
internal sealed class RecordingPostHook(string name) : IPostHook
{
    public RecordingPostHook()
        : this("recording-post")
    {
    }

    public string Name { get; } = name;

    public List<CodexRunPhase> Calls { get; } = [];

    public ValueTask OnPostAsync(HookContext context, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add(context.Phase);
        }

        return ValueTask.CompletedTask;
    }
}
