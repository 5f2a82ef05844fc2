using CodexRuntime.Protocol;
using CodexRuntime.State;

namespace CodexRuntime.Tests.Sessions;

public sealed class RunProfileTests
{
    [Fact]
    public void Defaults_are_the_safe_defaults()
    {
        var profile = new RunProfile();

        Assert.Equal(CodexApprovalPolicy.Never, profile.ApprovalPolicy);
        Assert.Equal(SandboxMode.ReadOnly, profile.Sandbox);
        Assert.Equal("medium", profile.Effort);
        Assert.Equal(TimeSpan.FromSeconds(120), profile.Timeout);
        Assert.False(profile.PrivilegedEscalation);
        Assert.Same(CodexApprovalHandler.DeclineAll, profile.Approvals);
        Assert.Empty(profile.Validate());
    }

    [Fact]
    public void Validation_names_each_setting_and_its_fix()
    {
        var profile = new RunProfile { Timeout = TimeSpan.Zero, Sandbox = SandboxMode.DangerFullAccess, Effort = " ", TurnServerRequests = { "item/tool/call", "account/chatgptAuthTokens/refresh" } };

        var problems = profile.Validate();

        Assert.Contains(problems, p => p.StartsWith("RunProfile.Timeout", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("RunProfile.Effort", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("AllowPrivilegedEscalation()", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("approval policy is never", StringComparison.Ordinal));
        // A request a turn cannot take (account-wide, no thread) is named with the ones it can; a takeable one is not.
        Assert.Contains(problems, p => p.StartsWith("RunProfile.TurnServerRequests has 'account/chatgptAuthTokens/refresh'", StringComparison.Ordinal) && p.Contains("item/tool/requestUserInput", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("'item/tool/call'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_clone_has_its_own_lists()
    {
        var profile = new RunProfile();
        profile.WritableRoots.Add("/a");
        var copy = profile.Clone();

        copy.WritableRoots.Add("/b");
        copy.Attachments.Add(CodexAttachment.ImageUrl("https://example.com/x.png"));
        copy.TurnServerRequests.Add("item/tool/call");

        Assert.Equal(["/a"], profile.WritableRoots);
        Assert.Empty(profile.Attachments);
        Assert.Empty(profile.TurnServerRequests);
        Assert.Equal(["/a", "/b"], copy.WritableRoots);
    }

    [Fact]
    public void The_result_uses_the_completed_message_when_the_state_kept_only_a_prefix()
    {
        var full = new string('x', 100);
        var item = new CodexItemSnapshot("m1", "agentMessage", true, new CodexBoundedText(full[..10], 100, true), CodexBoundedText.Empty,
            new AgentMessageThreadItem { Id = "m1", Text = full });
        var start = DateTimeOffset.UnixEpoch;
        var turn = new CodexTurnSnapshot("turn-1", "thread-1", TurnStatus.Completed, null, start, start.AddSeconds(2), [item], null, CodexBoundedText.Empty);

        var result = PromptRunResult.FromSnapshot(turn);

        Assert.Equal(full, result.Text);
        Assert.Equal("thread-1", result.ThreadId);
        Assert.Equal("turn-1", result.TurnId);
        Assert.Equal(TimeSpan.FromSeconds(2), result.Duration);
        Assert.Null(result.Diff);
        Assert.Single(result.Items);
    }
}
