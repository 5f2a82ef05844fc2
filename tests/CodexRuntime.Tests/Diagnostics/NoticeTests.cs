using System.Text.Json;
using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;
using CodexRuntime.State;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.Diagnostics;

/// <summary>codex's own signals are kept typed on the runtime; a failed turn shows a provider's own words.</summary>
public sealed class NoticeTests
{
    [Fact]
    public async Task Config_warnings_and_deprecation_notices_about_no_thread_are_kept_in_order()
    {
        await using var scripted = await ScriptedRuntime.StartAsync();
        await scripted.Peer.WriteLineAsync("""{"method":"configWarning","params":{"summary":"Codex could not find bubblewrap on PATH.","details":null,"path":"/etc/codex/config.toml"}}""");
        await scripted.Peer.WriteLineAsync("""{"method":"deprecationNotice","params":{"summary":"Full-history hydration is deprecated.","details":"Use excludeTurns with thread/turns/list."}}""");
        await scripted.Peer.WriteLineAsync("""{"method":"warning","params":{"threadId":"thr_1","message":"Model metadata for `mock-model` not found."}}""");
        var call = scripted.Runtime.AppServer.SendRawRequestAsync("config/read");
        await scripted.AnswerNextAsync("{}");
        await call; // answered after the notices, so the reader has handled them

        Assert.Collection(
            scripted.Runtime.Notices,
            n => Assert.Equal((CodexNoticeKind.ConfigWarning, "Codex could not find bubblewrap on PATH.", "/etc/codex/config.toml"), (n.Kind, n.Message, n.Details)),
            n => Assert.Equal((CodexNoticeKind.DeprecationNotice, "Use excludeTurns with thread/turns/list."), (n.Kind, n.Details)),
            n => Assert.Equal((CodexNoticeKind.Warning, "thr_1"), (n.Kind, n.ThreadId)));
    }

    [Fact]
    public void A_provider_error_body_reads_as_the_providers_words_and_a_5xx_says_codex_dropped_them()
    {
        var body = """{"error": {"message": "model is overloaded on shard 7", "type": "server_error", "code": "shard_overloaded"}}""";
        var forwarded = new CodexRunFailedException(Failed(new TurnError { Message = body, CodexErrorInfo = JsonDocument.Parse("\"other\"").RootElement }));
        var generic = new CodexRunFailedException(Failed(new TurnError { Message = "We're currently experiencing high demand.", CodexErrorInfo = JsonDocument.Parse("\"internalServerError\"").RootElement }));

        Assert.Contains("the model provider said \"model is overloaded on shard 7\" (type server_error, code shard_overloaded)", forwarded.Message, StringComparison.Ordinal);
        Assert.Equal(body, forwarded.ErrorMessage);
        Assert.Contains("high demand", generic.Message, StringComparison.Ordinal);
        Assert.Contains("the provider's message is not passed on", generic.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", generic.Message, StringComparison.Ordinal);
    }

    private static PromptRunResult Failed(TurnError error)
    {
        var start = DateTimeOffset.UnixEpoch;
        return PromptRunResult.FromSnapshot(new CodexTurnSnapshot("turn-1", "thread-1", TurnStatus.Failed, error, start, start.AddSeconds(1), [], null, CodexBoundedText.Empty));
    }
}
