using CodexRuntime.Protocol;

namespace CodexRuntime;

/// <summary>
/// The thread requests a session opens with (<c>thread/start</c>, <c>thread/resume</c>, <c>thread/fork</c>). What a
/// session sets on its thread is decided once, in <see cref="ThreadSettings"/>; each request only carries it.
/// </summary>
internal static class ThreadRequests
{
    public static ThreadStartParams Start(SessionConfig config, RunProfile profile)
    {
        var settings = ThreadSettings.Of(config, profile);
        return new()
        {
            Cwd = settings.Cwd,
            Model = settings.Model,
            ApprovalPolicy = settings.ApprovalPolicy,
            Sandbox = settings.Sandbox,
            DeveloperInstructions = settings.DeveloperInstructions,
            // Only a thread with tools sends the (experimental) field, so threads without need no experimental opt-in.
            DynamicTools = config.DynamicTools.Count > 0 ? [.. config.DynamicTools] : null,
        };
    }

    /// <param name="threadId">The thread to resume.</param>
    /// <param name="config">The session's config.</param>
    /// <param name="profile">The session's profile.</param>
    /// <param name="excludeTurns">
    /// Ask for the thread without its turns: what codex 0.169.0+ wants (full-history hydration is deprecated for
    /// paginated threads; 0.171.0 answers it with a deprecation notice). A session needs no history in the answer;
    /// <see cref="CodexClient.ReadHistoryAsync"/> reads it page by page.
    /// </param>
    public static ThreadResumeParams Resume(string threadId, SessionConfig config, RunProfile profile, bool excludeTurns)
    {
        var settings = ThreadSettings.Of(config, profile);
        return new() { ThreadId = threadId, ExcludeTurns = excludeTurns ? true : null, Cwd = settings.Cwd, Model = settings.Model, ApprovalPolicy = settings.ApprovalPolicy, Sandbox = settings.Sandbox, DeveloperInstructions = settings.DeveloperInstructions };
    }

    /// <summary>A fork of <paramref name="threadId"/>; <paramref name="excludeTurns"/> as for <see cref="Resume"/>.</summary>
    public static ThreadForkParams Fork(string threadId, SessionConfig config, RunProfile profile, bool excludeTurns)
    {
        var settings = ThreadSettings.Of(config, profile);
        return new() { ThreadId = threadId, ExcludeTurns = excludeTurns ? true : null, Cwd = settings.Cwd, Model = settings.Model, ApprovalPolicy = settings.ApprovalPolicy, Sandbox = settings.Sandbox, DeveloperInstructions = settings.DeveloperInstructions };
    }

    /// <summary>What a session sets on its thread, from its config and its own copy of the profile.</summary>
    private readonly record struct ThreadSettings(string Cwd, string? Model, AskForApproval ApprovalPolicy, SandboxMode Sandbox, string? DeveloperInstructions)
    {
        public static ThreadSettings Of(SessionConfig config, RunProfile profile) =>
            new(config.Cwd, profile.Model, profile.ApprovalPolicy.ToWire(), profile.Sandbox, config.DeveloperInstructions);
    }
}
