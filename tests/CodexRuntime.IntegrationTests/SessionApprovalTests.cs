using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>
/// Approvals at the session level on the real binary (approval policy on-request, read-only sandbox; the fake model
/// asks to run <c>touch approved.txt</c> outside the sandbox, or to add a file with apply_patch). Every case is proven by
/// the side effect on disk: the file exists exactly when the answer was accept.
/// </summary>
public sealed class SessionApprovalTests
{
    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var version in new[] { CodexInstallations.Newest, CodexInstallations.Floor })
            {
                foreach (var answer in new[] { "handler accept", "handler decline", "delegate accept", "default policy", "stream accept", "stream decline", "stream unanswered" })
                {
                    data.Add(version, answer);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Command_approval_through_the_session(string version, string answer)
    {
        await using var codex = await RealClient.CreateAsync(version, "on-request", null,
            FakeModelResponse.ExecCommand("touch approved.txt && echo approved-run", requestEscalation: true, callId: "call-cmd"),
            FakeModelResponse.Text("done"));
        var asked = new List<CodexApprovalRequest>();
        var profile = new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest };
        switch (answer)
        {
            case "handler accept":
                profile.CommandApproval = new FixedCommandApproval(new CommandExecutionApprovalDecision.Accept());
                break;
            case "handler decline":
                profile.CommandApproval = new FixedCommandApproval(new CommandExecutionApprovalDecision.Decline());
                break;
            case "delegate accept":
                profile.Approvals = CodexApprovalHandler.Ask((request, _) =>
                {
                    asked.Add(request);
                    return ValueTask.FromResult(CodexApprovalDecision.Accept);
                });
                break;
        }

        await using var session = await codex.Client.StartSessionAsync(codex.Session(profile));
        PromptRunResult result;
        if (answer.StartsWith("stream", StringComparison.Ordinal))
        {
            await using var turn = await session.AskStreamingAsync("create approved.txt");
            using var deadline = new CancellationTokenSource(RealClient.Deadline);
            await foreach (var e in turn.WithCancellation(deadline.Token))
            {
                if (e is ApprovalRequestedEvent approval)
                {
                    asked.Add(approval.Request);
                    Assert.Equal(CodexApprovalKind.Command, approval.Request.Kind);
                    Assert.Contains("touch approved.txt", approval.Request.Command, StringComparison.Ordinal);
                    if (answer != "stream unanswered")
                    {
                        Assert.True(await approval.Request.RespondAsync(answer == "stream accept" ? CodexApprovalDecision.Accept : CodexApprovalDecision.Decline));
                    }
                }
            }

            result = await turn.GetResultAsync();
        }
        else
        {
            result = await session.AskAsync("create approved.txt");
        }

        var accepted = answer.Contains("accept", StringComparison.Ordinal);
        Assert.Equal("done", result.Text);
        var command = Assert.IsType<CommandExecutionThreadItem>(Assert.Single(result.Items, i => i is CommandExecutionThreadItem));
        Assert.Equal(accepted ? CommandExecutionStatus.Completed : CommandExecutionStatus.Declined, command.Status);
        Assert.Equal(accepted, File.Exists(Path.Combine(codex.Workspace, "approved.txt")));
        Assert.Equal(answer is "delegate accept" || answer.StartsWith("stream", StringComparison.Ordinal) ? 1 : 0, asked.Count);
        if (answer == "stream unanswered")
        {
            // Answered by the profile's handler (decline) as soon as the reader moved on, not at the 30 s deadline.
            Assert.True(asked[0].IsAnswered);
            Assert.True(result.Duration < TimeSpan.FromSeconds(20), $"The turn took {result.Duration}.");
        }

        Assert.Empty(codex.Client.Runtime.State.PendingServerRequests);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task File_change_approval_from_the_stream(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "on-request", null,
            FakeModelResponse.AddFile("patched.txt", "written by apply_patch"),
            FakeModelResponse.Text("patched"));
        await using var session = await codex.Client.StartSessionAsync(codex.Session(new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest }));
        await using var turn = await session.AskStreamingAsync("add patched.txt");

        var kinds = new List<CodexApprovalKind>();
        using var deadline = new CancellationTokenSource(RealClient.Deadline);
        await foreach (var e in turn.WithCancellation(deadline.Token))
        {
            if (e is ApprovalRequestedEvent approval)
            {
                kinds.Add(approval.Request.Kind);
                await approval.Request.AcceptAsync();
            }
        }

        var result = await turn.GetResultAsync();
        Assert.Equal([CodexApprovalKind.FileChange], kinds);
        Assert.Equal("written by apply_patch", File.ReadAllText(Path.Combine(codex.Workspace, "patched.txt")).Trim());
        Assert.Contains(result.Items, i => i is FileChangeThreadItem { Status: PatchApplyStatus.Completed });
    }
}
