using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.ServerRequests;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.ServerRequests;

/// <summary>Server requests consumed as streams: routing between consumers, answers, hand-back, deadline.</summary>
public sealed class ServerRequestStreamTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_filtered_stream_claims_its_threads_and_the_catch_all_stream_takes_the_rest()
    {
        await using var scripted = await ScriptedRuntime.StartAsync();
        using var web = scripted.Runtime.OpenServerRequestStream(new CodexServerRequestStreamOptions { Filter = r => r.ThreadId == "web-thread" });
        using var app = scripted.Runtime.OpenServerRequestStream();

        await scripted.Peer.WriteLineAsync(Approval(1, "app-thread"));
        await scripted.Peer.WriteLineAsync(Approval(2, "web-thread"));
        var forWeb = await FirstAsync(web);
        var forApp = await FirstAsync(app);

        Assert.Equal("web-thread", forWeb.ThreadId);
        Assert.Equal("app-thread", forApp.ThreadId);
        Assert.True(await forWeb.RespondAsync(CodexServerRequests.ItemCommandExecutionRequestApproval, new CommandExecutionRequestApprovalResponse { Decision = new CommandExecutionApprovalDecision.Accept() }));
        Assert.True(await forApp.RespondErrorAsync(-32000, "the user closed the dialog"));
        var replies = new[] { await scripted.Peer.ReadAsync(), await scripted.Peer.ReadAsync() }.OrderBy(r => (int)r["id"]!).ToArray();
        Assert.Equal("""{"id":1,"error":{"code":-32000,"message":"the user closed the dialog"}}""", replies[0].ToJsonString());
        Assert.Equal("""{"id":2,"result":{"decision":"accept"}}""", replies[1].ToJsonString());
        Assert.False(await forWeb.RespondErrorAsync(-32000, "twice"));
    }

    [Fact]
    public async Task Only_one_catch_all_stream_and_one_reader_per_stream()
    {
        await using var scripted = await ScriptedRuntime.StartAsync();
        using var first = scripted.Runtime.OpenServerRequestStream();

        var second = Assert.Throws<InvalidOperationException>(() => scripted.Runtime.OpenServerRequestStream());
        Assert.Contains("Filter", second.Message, StringComparison.Ordinal);

        using var stop = new CancellationTokenSource();
        var reading = first.ReadAllAsync(stop.Token).GetAsyncEnumerator();
        var pending = reading.MoveNextAsync().AsTask();
        var concurrent = first.ReadAllAsync().GetAsyncEnumerator();
        await Assert.ThrowsAsync<InvalidOperationException>(() => concurrent.MoveNextAsync().AsTask());
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await reading.DisposeAsync();
    }

    [Fact]
    public async Task Requests_a_disposed_stream_never_read_are_answered_by_the_policy()
    {
        await using var scripted = await ScriptedRuntime.StartAsync();
        var stream = scripted.Runtime.OpenServerRequestStream();
        await scripted.Peer.WriteLineAsync(Approval(5, "t"));
        await CodexRuntimeHostTests.WaitUntilAsync(() => scripted.Runtime.State.PendingServerRequests.Count == 1);

        stream.Dispose();

        Assert.Equal("""{"id":5,"result":{"decision":"decline"}}""", (await scripted.Peer.ReadAsync()).ToJsonString());
    }

    [Fact]
    public async Task A_consumer_that_misses_the_deadline_is_told_and_its_late_answer_is_not_sent()
    {
        await using var scripted = await ScriptedRuntime.StartAsync(o => o.ServerRequests.Deadline = TimeSpan.FromMilliseconds(200));
        using var stream = scripted.Runtime.OpenServerRequestStream();
        await scripted.Peer.WriteLineAsync(Approval(6, "t"));
        var request = await FirstAsync(stream);

        var policyReply = await scripted.Peer.ReadAsync();
        await Task.Delay(Timeout.Infinite, request.Abandoned).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Deadline);

        Assert.Equal("""{"id":6,"result":{"decision":"decline"}}""", policyReply.ToJsonString());
        Assert.True(request.IsAnswered);
        Assert.False(await request.RespondAsync(CodexServerRequests.ItemCommandExecutionRequestApproval, new CommandExecutionRequestApprovalResponse { Decision = new CommandExecutionApprovalDecision.Accept() }));
        Assert.Empty(scripted.Runtime.State.PendingServerRequests);
    }

    [Fact]
    public async Task A_response_of_another_kind_is_refused()
    {
        await using var scripted = await ScriptedRuntime.StartAsync();
        using var stream = scripted.Runtime.OpenServerRequestStream();
        await scripted.Peer.WriteLineAsync(Approval(7, "t"));
        var request = await FirstAsync(stream);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => request.RespondAsync(CodexServerRequests.ItemFileChangeRequestApproval, new FileChangeRequestApprovalResponse { Decision = FileChangeApprovalDecision.Accept }));

        Assert.Contains("item/commandExecution/requestApproval", error.Message, StringComparison.Ordinal);
        Assert.True(await request.RespondErrorAsync(-32000, "no"));
    }

    private static string Approval(int id, string threadId) =>
        new JsonObject
        {
            ["id"] = id,
            ["method"] = "item/commandExecution/requestApproval",
            ["params"] = new JsonObject { ["threadId"] = threadId, ["turnId"] = "u", ["itemId"] = $"call-{id}", ["command"] = "touch x" },
        }.ToJsonString();

    private static async Task<CodexServerRequest> FirstAsync(CodexServerRequestStream stream)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        await foreach (var request in stream.ReadAllAsync(deadline.Token))
        {
            return request;
        }

        throw new InvalidOperationException("The stream ended.");
    }
}
