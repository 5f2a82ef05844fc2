using CodexRuntime.Protocol;

namespace CodexRuntime.Sessions;

/// <summary>
/// The thread requests a session opens with (<c>thread/start</c>, <c>thread/resume</c>, <c>thread/fork</c>). What a
/// session sets on its thread is decided once, in <see cref="ThreadSettings"/>; each request only carries it.
/// </summary>
internal static class ThreadRequests
{
    public static ThreadStartParams Start(SessionConfig config, RunProfile profile)
    {
        var settings = ThreadSettings.Of(config, profile);
        return new() { Cwd = settings.Cwd, Model = settings.Model, ApprovalPolicy = settings.ApprovalPolicy, Sandbox = settings.Sandbox, DeveloperInstructions = settings.DeveloperInstructions };
    }

    public static ThreadResumeParams Resume(string threadId, SessionConfig config, RunProfile profile)
    {
        var settings = ThreadSettings.Of(config, profile);
        return new() { ThreadId = threadId, Cwd = settings.Cwd, Model = settings.Model, ApprovalPolicy = settings.ApprovalPolicy, Sandbox = settings.Sandbox, DeveloperInstructions = settings.DeveloperInstructions };
    }

    public static ThreadForkParams Fork(string threadId, SessionConfig config, RunProfile profile)
    {
        var settings = ThreadSettings.Of(config, profile);
        return new() { ThreadId = threadId, Cwd = settings.Cwd, Model = settings.Model, ApprovalPolicy = settings.ApprovalPolicy, Sandbox = settings.Sandbox, DeveloperInstructions = settings.DeveloperInstructions };
    }

    /// <summary>What a session sets on its thread, from its config and its own copy of the profile.</summary>
    private readonly record struct ThreadSettings(string Cwd, string? Model, AskForApproval ApprovalPolicy, SandboxMode Sandbox, string? DeveloperInstructions)
    {
        public static ThreadSettings Of(SessionConfig config, RunProfile profile) =>
            new(config.Cwd, profile.Model, profile.ApprovalPolicy.ToWire(), profile.Sandbox, config.DeveloperInstructions);
    }
}
