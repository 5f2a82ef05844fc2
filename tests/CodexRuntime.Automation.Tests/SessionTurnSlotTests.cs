using System.Text.Json.Nodes;
using CodexRuntime.Automation.Tests.Support;
using CodexRuntime.Testing;

namespace CodexRuntime.Automation.Tests;

/// <summary>
/// The core fix this package needed (src/CodexRuntime/Sessions/CodexSession.cs): codex may send a turn's <c>turn/completed</c>
/// before its <c>turn/start</c> response. The session then has to free its turn slot, or every later ask (every later
/// run of an automation) fails with <see cref="CodexTurnInProgressException"/>.
/// </summary>
public sealed class SessionTurnSlotTests
{
    [Fact]
    public async Task A_turn_codex_ends_before_answering_turn_start_frees_the_session_for_the_next_ask()
    {
        await using var server = new ScriptedAppServer();
        var turns = 0;
        server.Handle("turn/start", request =>
        {
            var threadId = (string)request.Params!["threadId"]!;
            var turnId = $"turn-{Interlocked.Increment(ref turns)}";
            var item = new JsonObject { ["type"] = "agentMessage", ["id"] = $"msg-{turnId}", ["text"] = $"answer {turnId}" };
            // Written before the response this handler returns: the client reads the end of the turn first.
            server.NotifyAsync("item/completed", new JsonObject { ["threadId"] = threadId, ["turnId"] = turnId, ["item"] = item }).GetAwaiter().GetResult();
            var completed = ScriptedTurn.Turn(turnId, "completed", null);
            completed["threadId"] = threadId;
            server.NotifyAsync("turn/completed", completed).GetAwaiter().GetResult();
            return ScriptedTurn.Turn(turnId, "inProgress", null);
        });
        await using var client = new CodexClient(server.Attach(new ClientConfig()));
        await using var session = await client.StartSessionAsync(new SessionConfig(Path.GetTempPath())).WaitAsync(ScriptedCodex.Deadline);

        var first = await session.AskAsync("one").WaitAsync(ScriptedCodex.Deadline);
        var second = await session.AskAsync("two").WaitAsync(ScriptedCodex.Deadline);

        Assert.Equal(("answer turn-1", "answer turn-2"), (first.Text, second.Text));
        Assert.Null(session.ActiveTurn);
    }
}
