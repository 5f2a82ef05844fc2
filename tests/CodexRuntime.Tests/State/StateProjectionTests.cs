using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.State;

/// <summary>The state projection fed with what the real binaries sent (recorded) and with edge cases.</summary>
public sealed class StateProjectionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(Recording.Newest)]
    [InlineData(Recording.Floor)]
    public async Task A_recorded_session_becomes_threads_turns_and_items(string version)
    {
        var recording = Recording.Load(version);
        await using var scripted = await ScriptedRuntime.StartAsync();
        foreach (var line in recording.Notifications)
        {
            await scripted.Peer.WriteLineAsync(line);
        }

        var completed = recording.Notifications.Select(l => JsonNode.Parse(l)!).Where(n => (string?)n["method"] == "turn/completed").ToList();
        var lastTurn = (string)completed[^1]!["params"]!["turn"]!["id"]!;
        var threadId = (string)completed[^1]!["params"]!["threadId"]!;
        await scripted.Runtime.WaitForTurnAsync(threadId, lastTurn, Deadline);
        var state = scripted.Runtime.State;

        var thread = Assert.Single(state.Threads);
        Assert.Equal(threadId, thread.Id);
        Assert.Equal(completed.Count, thread.Turns.Count);
        Assert.All(thread.Turns, t => Assert.Equal(TurnStatus.Completed, t.Status));

        // The streamed turn: the text is the recorded deltas, and the completed item agrees.
        var deltas = recording.Notifications.Select(l => JsonNode.Parse(l)!).Where(n => (string?)n["method"] == "item/agentMessage/delta").ToList();
        var streamedItem = state.FindItem((string)deltas[0]!["params"]!["itemId"]!)!;
        Assert.Equal(string.Concat(deltas.Select(d => (string)d!["params"]!["delta"]!)), streamedItem.Text.Value);
        Assert.True(streamedItem.IsCompleted);
        Assert.Equal("agentMessage", streamedItem.Type);

        // The approved command: its output is in the item.
        var command = thread.Turns.SelectMany(t => t.Items).Single(i => i.Type == "commandExecution");
        Assert.IsType<CommandExecutionThreadItem>(command.Item);
        Assert.True(command.IsCompleted);
        Assert.Empty(state.PendingServerRequests);
    }

    [Fact]
    public async Task A_turn_that_ended_before_its_watcher_asked_is_answered_though_its_thread_was_trimmed_since()
    {
        // More sessions than MaxThreads (a web server with 300): a turn ends, another thread's activity trims its idle
        // thread, and only then does the turn's watcher ask. It used to wait forever (found by the Orleans benchmark).
        await using var scripted = await ScriptedRuntime.StartAsync(o => o.State.MaxThreads = 1);
        await scripted.Peer.WriteLineAsync(Turn("turn/started", "u1", "inProgress"));
        await scripted.Peer.WriteLineAsync(Turn("turn/completed", "u1", "completed"));
        await scripted.Peer.WriteLineAsync(Turn("turn/started", "u2", "inProgress", threadId: "t2"));
        await scripted.Peer.WriteLineAsync(Turn("turn/completed", "u2", "completed", threadId: "t2"));
        await scripted.Runtime.WaitForTurnAsync("t2", "u2", Deadline);
        Assert.Equal(["t2"], scripted.Runtime.State.Threads.Select(t => t.Id));

        var forgotten = await scripted.Runtime.WaitForTurnAsync("t1", "u1", Deadline);

        Assert.Equal(TurnStatus.Completed, forgotten.Status);
    }

    [Fact]
    public async Task Escaped_deltas_are_unescaped_and_long_text_is_cut_on_a_character_boundary()
    {
        await using var scripted = await ScriptedRuntime.StartAsync(o => o.State.MaxItemTextBytes = 9);
        await scripted.Peer.WriteLineAsync(Turn("turn/started", "u1", "inProgress"));
        await scripted.Peer.WriteLineAsync(Delta("u1", "i1", "d\\u00e9j\\u00e0 "));
        await scripted.Peer.WriteLineAsync(Delta("u1", "i1", "\\ud83d\\ude00\\ud83d\\ude00"));
        await scripted.Peer.WriteLineAsync(Turn("turn/completed", "u1", "completed"));

        var turn = await scripted.Runtime.WaitForTurnAsync("t1", "u1", Deadline);

        var text = Assert.Single(turn.Items).Text;
        Assert.Equal("déjà ", text.Value);
        Assert.Equal(15, text.TotalBytes);
        Assert.True(text.IsTruncated);
    }

    [Fact]
    public async Task The_same_item_id_in_two_turns_is_two_items()
    {
        await using var scripted = await ScriptedRuntime.StartAsync();
        foreach (var turnId in new[] { "u1", "u2" })
        {
            await scripted.Peer.WriteLineAsync(Turn("turn/started", turnId, "inProgress"));
            await scripted.Peer.WriteLineAsync(Delta(turnId, "msg-1", "answer " + turnId));
            await scripted.Peer.WriteLineAsync(Turn("turn/completed", turnId, "completed"));
        }

        var second = await scripted.Runtime.WaitForTurnAsync("t1", "u2", Deadline);
        var first = scripted.Runtime.State.FindTurn("u1")!;

        Assert.Equal("answer u1", Assert.Single(first.Items).Text.Value);
        Assert.Equal("answer u2", Assert.Single(second.Items).Text.Value);
    }

    [Fact]
    public async Task Old_turns_are_forgotten_beyond_the_limit_and_waiting_on_an_ended_turn_returns_at_once()
    {
        await using var scripted = await ScriptedRuntime.StartAsync(o => o.State.MaxTurnsPerThread = 2);
        for (var i = 1; i <= 4; i++)
        {
            await scripted.Peer.WriteLineAsync(Turn("turn/started", $"u{i}", "inProgress"));
            await scripted.Peer.WriteLineAsync(Turn("turn/completed", $"u{i}", i == 4 ? "interrupted" : "completed"));
        }

        var last = await scripted.Runtime.WaitForTurnAsync("t1", "u4", Deadline);
        var again = await scripted.Runtime.WaitForTurnAsync("t1", "u4", TimeSpan.FromMilliseconds(1));

        Assert.Equal(TurnStatus.Interrupted, last.Status);
        Assert.Equal(last, again);
        var thread = Assert.Single(scripted.Runtime.State.Threads);
        Assert.Equal(["u3", "u4"], thread.Turns.Select(t => t.Id));
        Assert.Equal(2, thread.ForgottenTurns);
    }

    [Fact]
    public async Task A_typed_thread_start_result_enters_the_projection()
    {
        var recording = Recording.Load(Recording.Newest);
        await using var scripted = await ScriptedRuntime.StartAsync();
        var start = scripted.Runtime.AppServer.CallAsync(CodexMethods.ThreadStart, new ThreadStartParams { Cwd = "/tmp" });
        var startResponse = JsonNode.Parse(recording.Lines.First(l => l.Contains("\"thread\":{", StringComparison.Ordinal) && !l.Contains("\"method\"", StringComparison.Ordinal)))!;
        await scripted.AnswerNextAsync(startResponse["result"]!.ToJsonString());

        var result = await start.WaitAsync(Deadline);

        var thread = Assert.Single(scripted.Runtime.State.Threads);
        Assert.Equal(result.Thread.Id, thread.Id);
        Assert.NotNull(thread.Thread);
    }

    private static string Turn(string method, string turnId, string status, string threadId = "t1") =>
        "{\"method\":\"" + method + "\",\"params\":{\"threadId\":\"" + threadId + "\",\"turn\":{\"id\":\"" + turnId + "\",\"items\":[],\"status\":\"" + status + "\"}}}";

    private static string Delta(string turnId, string itemId, string escapedDelta) =>
        "{\"method\":\"item/agentMessage/delta\",\"params\":{\"threadId\":\"t1\",\"turnId\":\"" + turnId + "\",\"itemId\":\"" + itemId + "\",\"delta\":\"" + escapedDelta + "\"}}";
}
