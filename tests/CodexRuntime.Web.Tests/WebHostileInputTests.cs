using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Web.Tests;

/// <summary>Bodies no well-behaved client sends, over real HTTP: each is a ProblemDetails naming what was wrong, never a 500 or an unhandled exception.</summary>
public sealed class WebHostileInputTests
{
    private const int MaxBodyBytes = 1024 * 1024;
    private static readonly string Newest = CodexProtocolVersions.Pinned.ToString();

    [Fact]
    public async Task Invalid_UTF8_and_lone_surrogates_in_any_string_are_400_naming_the_member_and_nothing_is_unhandled()
    {
        var logs = new CapturedLogs();
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.Text("never sent")], options => options.Adapter.AllowImageAttachments = true, setup: (builder, _) => Capture(builder, logs));
        using var a = host.For("tenant-a");
        var (sessionId, _) = await a.CreateSessionAsync();
        var turns = $"/codex/sessions/{sessionId}/turns";
        var answer = $"/codex/sessions/{sessionId}/approvals/{Guid.NewGuid()}";
        var cases = new (string Path, byte[] Body, string Member)[]
        {
            ("/codex/sessions", Utf8("""{"artifactId":"\udfff"}"""), "artifactId"),
            ("/codex/sessions", Utf8("""{"artifactId":"doc-9","model":"\ud800"}"""), "model"),
            ("/codex/sessions", Utf8("""{"\ud800":"x"}"""), "$"),
            (turns, Utf8("""{"text":"\ud800"}"""), "text"),
            (turns, [.. Utf8("""{"text":"a"""), 0xFF, 0xFE, .. Utf8("\"}")], "text"),
            (turns, Utf8("""{"text":"hi","effort":"\udc00"}"""), "effort"),
            (turns, Utf8("""{"text":"hi","outputSchema":{"type":"object","description":"\ud800"}}"""), "outputSchema.description"),
            (turns, Utf8("""{"text":"hi","attachments":[{"type":"imageUrl","url":"data:image/png;base64,\ud800"}]}"""), "attachments[0].url"),
            (turns, Utf8("""{"text":"hi","attachments":[{"type":"\ud800","url":"data:image/png;base64,AA"}]}"""), "attachments[0].type"),
            (answer, Utf8("""{"decision":"\ud800"}"""), "decision"),
            (answer, Utf8("""{"error":{"message":"\ud800"}}"""), "error.message"),
            (answer, Utf8("""{"result":{"answers":{"\ud800":{}}}}"""), "result.answers"),
        };

        foreach (var (path, body, member) in cases)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await a.PostAsync(path, content);
            var text = Encoding.UTF8.GetString(body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {text}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var problem = await response.ProblemAsync();
            Assert.Equal(member, (string?)problem["member"]);
            Assert.NotNull(problem["traceId"]);
        }

        Assert.Empty(host.Model.Requests);
        Assert.Equal(1, host.Adapter.OpenSessions);
        Assert.Empty(logs.Errors);
    }

    [Fact]
    public async Task A_body_over_the_cap_is_413_chunked_or_not_and_the_server_never_reads_more_than_the_cap()
    {
        var read = new BodyReadCounter();
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.Text("never sent")], pipeline: app => app.Use((http, next) =>
        {
            http.Request.Body = read.Wrap(http.Request.Body);
            return next(http);
        }));
        using var a = host.For("tenant-a");
        var (sessionId, _) = await a.CreateSessionAsync();
        var turns = $"/codex/sessions/{sessionId}/turns";
        read.Reset();

        using (var chunked = await a.PostAsync(turns, new PaddedJsonContent(10 * 1024 * 1024)))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
            Assert.Equal(413, (int)(await chunked.ProblemAsync())["status"]!);
        }

        Assert.InRange(read.Largest, 1, MaxBodyBytes + 1);

        // Many at once from one user: each is cut off at the cap instead of being read whole.
        read.Reset();
        var many = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await a.PostAsync(turns, new PaddedJsonContent(25 * 1024 * 1024));
            return response.StatusCode;
        }));
        Assert.All(many, status => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status));
        Assert.InRange(read.Largest, 1, MaxBodyBytes + 1);

        // With a Content-Length over the cap, nothing is read at all.
        read.Reset();
        using var sized = new ByteArrayContent(new PaddedJsonContent(2 * MaxBodyBytes).ToArray());
        sized.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using (var response = await a.PostAsync(turns, sized))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            await response.ProblemAsync();
        }

        Assert.Equal(0, read.Largest);
        Assert.Empty(host.Model.Requests);
    }

    [Fact]
    public async Task Only_application_json_bodies_are_taken_and_a_missing_body_is_400()
    {
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.Text("never sent")]);
        using var a = host.For("tenant-a");
        var json = """{"artifactId":"doc-1"}""";
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=iso-8859-1", "application/jsonp" })
        {
            using var content = new StringContent(json, Encoding.UTF8);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            using var response = await a.PostAsync("/codex/sessions", content);
            Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{type}: {(int)response.StatusCode} {response.Content.Headers.ContentType}");
            Assert.Contains("application/json", (string)(await response.ProblemAsync())["detail"]!, StringComparison.Ordinal);
        }

        using (var untyped = new ByteArrayContent(Utf8(json)))
        {
            using var response = await a.PostAsync("/codex/sessions", untyped);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            await response.ProblemAsync();
        }

        using (var missing = await a.PostAsync("/codex/sessions", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.Equal("$", (string?)(await missing.ProblemAsync())["member"]);
        }

        Assert.Equal(0, host.Adapter.OpenSessions);
        using (var utf8 = new StringContent(json, Encoding.UTF8, "application/json"))
        {
            Assert.Equal("utf-8", utf8.Headers.ContentType!.CharSet);
            using var created = await a.PostAsync("/codex/sessions", utf8);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Empty(host.Model.Requests);
    }

    [Fact]
    public async Task A_refusal_shown_to_users_names_no_internals_and_carries_a_trace_id_the_log_has_with_the_detail()
    {
        var logs = new CapturedLogs();
        await using var host = await WebHost.StartAsync(Newest,
        [
            FakeModelResponse.ExecCommand("touch approved.txt", requestEscalation: true, callId: "call-h"),
            FakeModelResponse.Text("done"),
        ], setup: (builder, _) => Capture(builder, logs));
        using var a = host.For("tenant-a");
        var (sessionId, threadId) = await a.CreateSessionAsync();
        using (var first = await a.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "create approved.txt" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        var approval = await a.ReadEventsAsync($"/codex/sessions/{sessionId}/approvals", e => e.EventType == "approval");

        using var second = await a.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "again" });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.ProblemAsync();
        var shown = problem.ToJsonString();
        Assert.DoesNotContain("SteerAsync", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("InterruptAsync", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(threadId, shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", shown, StringComparison.Ordinal);
        var traceId = (string)problem["traceId"]!;
        Assert.False(string.IsNullOrEmpty(traceId));
        var logged = Assert.Single(logs.Entries, e => e.Category == "CodexRuntime.Web" && e.Message.Contains(traceId, StringComparison.Ordinal));
        Assert.Contains("SteerAsync", logged.Message + logged.Exception, StringComparison.Ordinal);

        var approvalId = (string)approval[^1].Data()["approvalId"]!;
        using var declined = await a.PostJsonAsync($"/codex/sessions/{sessionId}/approvals/{approvalId}", new JsonObject { ["decision"] = "decline" });
        Assert.Equal(HttpStatusCode.NoContent, declined.StatusCode);
        await a.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted");
        Assert.Empty(logs.Errors);
    }

    internal static void Capture(WebApplicationBuilder builder, CapturedLogs logs)
    {
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary><c>{"text":"hi","pad":"aaa…"}</c> of about <c>size</c> bytes, sent chunked (no Content-Length).</summary>
    internal sealed class PaddedJsonContent : HttpContent
    {
        private readonly int _size;

        public PaddedJsonContent(int size)
        {
            _size = size;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        public byte[] ToArray()
        {
            using var buffer = new MemoryStream();
            SerializeToStreamAsync(buffer, null).GetAwaiter().GetResult();
            return buffer.ToArray();
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Utf8("""{"text":"hi","pad":" """.TrimEnd()));
            var block = Enumerable.Repeat((byte)'a', 64 * 1024).ToArray();
            try
            {
                for (var sent = 0; sent < _size; sent += block.Length)
                {
                    await stream.WriteAsync(block);
                }

                await stream.WriteAsync(Utf8("\"}"));
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or HttpRequestException)
            {
                // The server answered 413 and stopped reading: the rest of the body is not wanted.
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
