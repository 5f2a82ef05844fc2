using CodexRuntime.Protocol;

namespace CodexRuntime;

/// <summary>The turn requests a session sends: <c>turn/start</c> params and the input of a turn or a steer.</summary>
internal static class TurnRequests
{
    /// <summary>The input items: the prompt's text and attachments (and the profile's, for a new turn).</summary>
    /// <exception cref="CodexAttachmentNotFoundException">An attachment's path does not exist.</exception>
    public static List<UserInput> Input(CodexPrompt prompt, SessionConfig config, RunProfile profile, bool includeProfileAttachments)
    {
        var input = new List<UserInput> { new TextUserInput { Text = prompt.Text } };
        var attachments = includeProfileAttachments ? profile.Attachments.Concat(prompt.Attachments) : prompt.Attachments;
        input.AddRange(attachments.Select(attachment => attachment.ToInput(config.Cwd)));
        return input;
    }

    /// <summary><c>turn/start</c>: the input, and the profile's policies and settings for this turn (the prompt's override the profile's).</summary>
    public static TurnStartParams Start(string threadId, List<UserInput> input, CodexPrompt prompt, string? model, SessionConfig config, RunProfile profile) => new()
    {
        ThreadId = threadId,
        Input = input,
        Cwd = config.Cwd,
        ApprovalPolicy = profile.ApprovalPolicy.ToWire(),
        SandboxPolicy = profile.ToSandboxPolicy(config.Cwd),
        Model = model,
        Effort = prompt.Effort ?? profile.Effort,
        OutputSchema = prompt.OutputSchema ?? profile.OutputSchema,
        Summary = prompt.Summary,
    };
}
