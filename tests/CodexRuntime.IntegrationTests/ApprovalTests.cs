using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.ServerRequests;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>
/// Typed approval handlers and the no-handler policy against the real binary, with approval policy on-request and the
/// read-only sandbox: accept runs the action, decline does not, no handler is answered by policy (decline) at once and
/// the turn completes. Each is proven by the action's side effect on disk.
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
                foreach (var answer in new[] { "accept", "decline", "no handler" })
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
        var options = new CodexServerRequestOptions();
        if (answer != "no handler")
        {
            options.CommandApproval = new Command(answer == "accept" ? new CommandExecutionApprovalDecision.Accept() : new CommandExecutionApprovalDecision.Decline());
        }

        await using var codex = await RealCodex.StartAsync(
            version,
            "on-request",
            options,
            FakeModelResponse.ExecCommand("touch approved.txt", requestEscalation: true, callId: "call-cmd"),
            FakeModelResponse.Text("done"));

        var threadId = await codex.StartThreadAsync();
        var (_, completed) = await codex.RunTurnAsync(threadId, "create approved.txt");

        Assert.Equal("completed", completed.Params.GetProperty("turn").GetProperty("status").GetString());
        var item = await codex.Observer.WaitForAsync(m => m.Method == "item/completed" && m.ItemId == "call-cmd", RealCodex.Deadline);
        Assert.Equal(answer == "accept" ? "completed" : "declined", item.Params.GetProperty("item").GetProperty("status").GetString());
        Assert.Equal(answer == "accept", File.Exists(Path.Combine(codex.Workspace.FullName, "approved.txt")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task File_change_approval(string version, string answer)
    {
        var options = new CodexServerRequestOptions();
        if (answer != "no handler")
        {
            options.FileChangeApproval = new FileChange(answer == "accept" ? FileChangeApprovalDecision.Accept : FileChangeApprovalDecision.Decline);
        }

        await using var codex = await RealCodex.StartAsync(
            version,
            "on-request",
            options,
            FakeModelResponse.AddFile("patched.txt", "written by apply_patch", callId: "call-patch"),
            FakeModelResponse.Text("done"));

        var threadId = await codex.StartThreadAsync();
        var (_, completed) = await codex.RunTurnAsync(threadId, "add patched.txt");

        Assert.Equal("completed", completed.Params.GetProperty("turn").GetProperty("status").GetString());
        var item = await codex.Observer.WaitForAsync(m => m.Method == "item/completed" && m.Params.GetProperty("item").GetProperty("type").GetString() == "fileChange", RealCodex.Deadline);
        Assert.Equal(answer == "accept" ? "completed" : "declined", item.Params.GetProperty("item").GetProperty("status").GetString());
        Assert.Equal(answer == "accept", File.Exists(Path.Combine(codex.Workspace.FullName, "patched.txt")));
    }

    private sealed class Command(CommandExecutionApprovalDecision decision) : ICommandApprovalHandler
    {
        public ValueTask<CommandExecutionRequestApprovalResponse> HandleAsync(CommandExecutionRequestApprovalParams request, CodexServerRequestContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new CommandExecutionRequestApprovalResponse { Decision = decision });
    }

    private sealed class FileChange(FileChangeApprovalDecision decision) : IFileChangeApprovalHandler
    {
        public ValueTask<FileChangeRequestApprovalResponse> HandleAsync(FileChangeRequestApprovalParams request, CodexServerRequestContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new FileChangeRequestApprovalResponse { Decision = decision });
    }
}
