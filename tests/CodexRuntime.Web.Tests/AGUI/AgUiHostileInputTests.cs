using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests.AGUI;

/// <summary>
/// <c>/agui</c> under the attacks <see cref="WebHostileInputTests"/> makes on the REST endpoints: lone surrogates and
/// invalid UTF-8 in every string of a <c>RunAgentInput</c>, a chunked body past the cap, bodies that are not
/// <c>application/json</c>. Each is a ProblemDetails (never a 500, nothing logged as an error), and nothing reaches
/// codex: no session opens, the model gets no request. (Foreign Origin and Host: <see cref="WebChatLocalOnlyTests"/>.)
/// </summary>
public sealed class AgUiHostileInputTests
{
    private static readonly string Newest = CodexProtocolVersions.Pinned.ToString();

    [Fact]
    public async Task Invalid_UTF8_lone_surrogates_oversize_chunked_bodies_and_other_media_types_are_ProblemDetails_and_reach_nothing()
    {
        var logs = new CapturedLogs();
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.Text("never sent")], map: (app, _) => app.MapCodexAGUI("/agui"), setup: (builder, _) => WebHostileInputTests.Capture(builder, logs), experimentalApi: true);
        using var a = host.For("tenant-a");
        const string Message = """{"id":"m1","role":"user","content":"hi"}""";
        var cases = new (byte[] Body, string Member)[]
        {
            (Utf8($$"""{"threadId":"\ud800","runId":"r","messages":[{{Message}}]}"""), "threadId"),
            (Utf8($$"""{"threadId":"t","runId":"\udfff","messages":[{{Message}}]}"""), "runId"),
            (Utf8("""{"threadId":"t","runId":"r","messages":[{"id":"\ud800","role":"user","content":"hi"}]}"""), "messages[0].id"),
            (Utf8("""{"threadId":"t","runId":"r","messages":[{"id":"m1","role":"user","content":"\ud800"}]}"""), "messages[0].content"),
            ([.. Utf8("""{"threadId":"t","runId":"r","messages":[{"id":"m1","role":"user","content":"a"""), 0xFF, 0xFE, .. Utf8("\"}]}")], "messages[0].content"),
            (Utf8($$"""{"threadId":"t","runId":"r","messages":[{{Message}}],"context":[{"description":"d","value":"\udc00"}]}"""), "context[0].value"),
            (Utf8($$"""{"threadId":"t","runId":"r","messages":[{{Message}}],"tools":[{"name":"\ud800","description":"d"}]}"""), "tools[0].name"),
            (Utf8("""{"threadId":"t","runId":"r","messages":[],"resume":[{"interruptId":"\ud800","status":"resolved"}]}"""), "resume[0].interruptId"),
            (Utf8($$"""{"threadId":"t","runId":"r","messages":[{{Message}}],"\ud800":1}"""), "$"),
        };

        foreach (var (body, member) in cases)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await a.PostAsync("/agui", content);
            var text = Encoding.UTF8.GetString(body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{text}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var problem = await response.ProblemAsync();
            Assert.True(member == (string?)problem["member"], $"{text}: member {problem["member"]}, expected {member}");
            Assert.NotNull(problem["traceId"]);
        }

        using (var chunked = await a.PostAsync("/agui", new WebHostileInputTests.PaddedJsonContent(10 * 1024 * 1024)))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
            Assert.Equal(413, (int)(await chunked.ProblemAsync())["status"]!);
        }

        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=iso-8859-1" })
        {
            using var content = new ByteArrayContent(Utf8($$"""{"threadId":"t","runId":"r","messages":[{{Message}}]}"""));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            using var response = await a.PostAsync("/agui", content);
            Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{type}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(415, (int)(await response.ProblemAsync())["status"]!);
        }

        Assert.Empty(host.Model.Requests);
        Assert.Equal(0, host.Adapter.OpenSessions);
        Assert.Empty(logs.Errors);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
