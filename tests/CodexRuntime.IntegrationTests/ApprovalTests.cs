using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.ServerRequests;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>
/// Server requests through the runtime against the real binary, with approval policy on-request and the read-only
/// sandbox: a typed handler that accepts runs the action, one that declines does not, no handler is answered by
/// policy (decline) at once and the turn completes, and a consumer of the server-request stream answers with
/// <see cref="CodexServerRequest.RespondAsync{TParams,TResponse}"/>. Each is proven by the action's side effect on
/// disk and, for commands, by the command's output in the item.
/// </summary>
public sealed class ApprovalTests
{
    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var version in new[] { CodexInstallations.Newest, CodexInstallations.Floor })
            {
                foreach (var answer in new[] { "accept", "decline", "no handler", "stream accept" })
                {
                    data.Add(version, answer);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Command_approval(string version, string answer)
    {
        await using var codex = await RealRuntime.StartAsync(
            version,
            "on-request",
            options =>
            {
                if (answer is "accept" or "decline")
                {
                    options.ServerRequests.CommandApproval = new FixedCommandApproval(answer == "accept" ? new CommandExecutionApprovalDecision.Accept() : new CommandExecutionApprovalDecision.Decline());
                }
            },
            FakeModelResponse.ExecCommand("touch approved.txt && echo approved-run", requestEscalation: true, callId: "call-cmd"),
            FakeModelResponse.Text("done"));
        using var stream = answer == "stream accept" ? codex.App.OpenServerRequestStream() : null;
        var consumer = stream is null ? Task.CompletedTask : AnswerFromStreamAsync(stream, CodexServerRequests.ItemCommandExecutionRequestApproval, new CommandExecutionRequestApprovalResponse { Decision = new CommandExecutionApprovalDecision.Accept() });

        var threadId = await codex.StartThreadAsync();
        var turn = await codex.RunTurnAsync(threadId, "create approved.txt");
        await consumer.WaitAsync(RealRuntime.Deadline);

        var accepted = answer.Contains("accept", StringComparison.Ordinal);
        Assert.Equal(TurnStatus.Completed, turn.Status);
        var item = Assert.Single(turn.Items, i => i.Id == "call-cmd");
        var command = Assert.IsType<CommandExecutionThreadItem>(item.Item);
        Assert.Equal(accepted ? CommandExecutionStatus.Completed : CommandExecutionStatus.Declined, command.Status);
        Assert.Equal(accepted, item.Output.Value.Contains("approved-run", StringComparison.Ordinal));
        Assert.Equal(accepted, File.Exists(Path.Combine(codex.Workspace.FullName, "approved.txt")));
        Assert.Empty(codex.Runtime.State.PendingServerRequests);
        Assert.Equal(1, codex.Runtime.MetricsSnapshot().ServerRequests);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task File_change_approval(string version, string answer)
    {
        await using var codex = await RealRuntime.StartAsync(
            version,
            "on-request",
            options =>
            {
                if (answer is "accept" or "decline")
                {
                    options.ServerRequests.FileChangeApproval = new FileChange(answer == "accept" ? FileChangeApprovalDecision.Accept : FileChangeApprovalDecision.Decline);
                }
            },
            FakeModelResponse.AddFile("patched.txt", "written by apply_patch", callId: "call-patch"),
            FakeModelResponse.Text("done"));
        using var stream = answer == "stream accept" ? codex.App.OpenServerRequestStream() : null;
        var consumer = stream is null ? Task.CompletedTask : AnswerFromStreamAsync(stream, CodexServerRequests.ItemFileChangeRequestApproval, new FileChangeRequestApprovalResponse { Decision = FileChangeApprovalDecision.Accept });

        var threadId = await codex.StartThreadAsync();
        var turn = await codex.RunTurnAsync(threadId, "add patched.txt");
        await consumer.WaitAsync(RealRuntime.Deadline);

        var accepted = answer.Contains("accept", StringComparison.Ordinal);
        Assert.Equal(TurnStatus.Completed, turn.Status);
        var change = Assert.IsType<FileChangeThreadItem>(Assert.Single(turn.Items, i => i.Type == "fileChange").Item);
        Assert.Equal(accepted ? PatchApplyStatus.Completed : PatchApplyStatus.Declined, change.Status);
        Assert.Equal(accepted, File.Exists(Path.Combine(codex.Workspace.FullName, "patched.txt")));
        Assert.Empty(codex.Runtime.State.PendingServerRequests);
    }

    /// <summary>Reads the first request from the stream, checks its kind and answers it.</summary>
    private static async Task AnswerFromStreamAsync<TParams, TResponse>(CodexServerRequestStream stream, CodexServerRequestType<TParams, TResponse> type, TResponse response)
    {
        using var deadline = new CancellationTokenSource(RealRuntime.Deadline);
        await foreach (var request in stream.ReadAllAsync(deadline.Token))
        {
            Assert.True(request.Is(type), $"expected {type.Method}, got {request.Method}");
            Assert.NotNull(request.ThreadId);
            Assert.True(await request.RespondAsync(type, response), "the reply was not written");
            return;
        }
    }


    private sealed class FileChange(FileChangeApprovalDecision decision) : IFileChangeApprovalHandler
    {
        public ValueTask<FileChangeRequestApprovalResponse> HandleAsync(FileChangeRequestApprovalParams request, CodexServerRequestContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new FileChangeRequestApprovalResponse { Decision = decision });
    }
}
