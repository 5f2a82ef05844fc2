using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Tests.Shared;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests;

/// <summary>
/// The WebChat sample is for this machine only, checked over real HTTP against the built sample run as a process
/// (Kestrel's own Host, remote address and Origin handling, not a test server's): a page on another site (DNS
/// rebinding, or a plain cross-site POST) gets nothing — not a session, not a turn, not a word to codex — and a
/// non-loopback <c>--urls</c> stops the sample before it listens.
/// </summary>
public sealed class WebChatLocalOnlyTests
{
    private static readonly string Version = CodexProtocolVersions.Pinned.ToString();

    /// <summary>An AG-UI run that would open a session (a new thread) and start a turn, were it let through.</summary>
    private const string AgUiRun = """{"threadId":"t-evil","runId":"r-1","messages":[{"id":"m1","role":"user","content":"hi"}]}""";

    [Fact]
    public async Task A_foreign_Host_is_refused_with_400_and_creates_no_session_and_starts_no_turn()
    {
        await using var chat = await WebChatProcess.StartAsync(Version);
        using var http = Client(chat);
        var port = chat.Url.Port;
        var (sessionId, _) = await http.CreateSessionAsync("webchat");

        // DNS rebinding: evil.example resolves to 127.0.0.1, so the browser connects here and sends its own name.
        foreach (var host in new[] { $"evil.example:{port}", "evil.example", $"127.0.0.1.evil.example:{port}", $"localhost:{port + 1}" })
        {
            using var created = await SendAsync(http, HttpMethod.Post, "/codex/sessions", """{"artifactId":"webchat"}""", "application/json", host: host);
            Assert.True(created.StatusCode == HttpStatusCode.BadRequest, $"Host {host}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
            var problem = await created.ProblemAsync();
            Assert.Equal(400, (int)problem["status"]!);
            Assert.Contains("127.0.0.1", (string)problem["detail"]!, StringComparison.Ordinal);

            using var turn = await SendAsync(http, HttpMethod.Post, $"/codex/sessions/{sessionId}/turns", """{"text":"hi"}""", "application/json", host: host);
            Assert.Equal(HttpStatusCode.BadRequest, turn.StatusCode);
            using var state = await SendAsync(http, HttpMethod.Get, $"/codex/sessions/{sessionId}", host: host);
            Assert.Equal(HttpStatusCode.BadRequest, state.StatusCode);
            using var run = await SendAsync(http, HttpMethod.Post, "/agui", AgUiRun, "application/json", host: host);
            Assert.Equal(HttpStatusCode.BadRequest, run.StatusCode);
        }

        // Nothing reached codex: the session has no turn and no event, and the tenant has every other session slot
        // free (one more than that is refused, so the count is the server's, not a guess).
        await AssertUntouchedAsync(http, sessionId);
        await AssertSessionsLeftAsync(http, new WebAdapterOptions().MaxSessionsPerTenant - 1);
    }

    [Fact]
    public async Task Only_the_page_s_own_Origin_changes_state_a_foreign_one_gets_403_whatever_the_content_type()
    {
        await using var chat = await WebChatProcess.StartAsync(Version);
        using var http = Client(chat);
        var (sessionId, _) = await http.CreateSessionAsync("webchat");

        foreach (var origin in new[] { "http://evil.example", $"http://evil.example:{chat.Url.Port}", "null", $"http://localhost:{chat.Url.Port + 1}", $"https://127.0.0.1:{chat.Url.Port}" })
        {
            // text/plain is what a cross-site page can POST without a CORS preflight.
            foreach (var type in new[] { "text/plain", "application/json" })
            {
                using var created = await SendAsync(http, HttpMethod.Post, "/codex/sessions", """{"artifactId":"webchat"}""", type, origin: origin);
                Assert.True(created.StatusCode == HttpStatusCode.Forbidden, $"Origin {origin}, {type}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
                Assert.Equal(403, (int)(await created.ProblemAsync())["status"]!);
                using var turn = await SendAsync(http, HttpMethod.Post, $"/codex/sessions/{sessionId}/turns", """{"text":"hi"}""", type, origin: origin);
                Assert.Equal(HttpStatusCode.Forbidden, turn.StatusCode);
                using var run = await SendAsync(http, HttpMethod.Post, "/agui", AgUiRun, type, origin: origin);
                Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
            }

            using var deleted = await SendAsync(http, HttpMethod.Delete, $"/codex/sessions/{sessionId}", origin: origin);
            Assert.Equal(HttpStatusCode.Forbidden, deleted.StatusCode);

            // A foreign page is not "you" either, so it cannot read the state (not signed in: 401).
            using var state = await SendAsync(http, HttpMethod.Get, $"/codex/sessions/{sessionId}", origin: origin);
            Assert.Equal(HttpStatusCode.Unauthorized, state.StatusCode);
        }

        await AssertUntouchedAsync(http, sessionId);
        await AssertSessionsLeftAsync(http, new WebAdapterOptions().MaxSessionsPerTenant - 1, origin: $"http://127.0.0.1:{chat.Url.Port}");

        // The page's own origin (as its fetch sends it, under each name of this machine) does change state.
        using var started = await SendAsync(http, HttpMethod.Post, $"/codex/sessions/{sessionId}/turns", """{"text":"hi"}""", "application/json",
            host: $"localhost:{chat.Url.Port}", origin: $"http://localhost:{chat.Url.Port}");
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"{(int)started.StatusCode} {await started.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("[::]")]
    [InlineData("*")]
    [InlineData("example.com")]
    public async Task A_non_loopback_url_stops_the_sample_before_it_listens_and_says_how_to_fix_it(string host)
    {
        var port = FreePort();
        var url = $"http://{host}:{port}";
        var (exitCode, output) = await WebChatProcess.RunToExitAsync(Version, "--urls", url);

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{output}");
        Assert.Contains(url, output, StringComparison.Ordinal);
        Assert.Contains("loopback", output, StringComparison.Ordinal);
        Assert.Contains($"--urls http://127.0.0.1:{port}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("open:", output, StringComparison.Ordinal);
    }

    private static HttpClient Client(WebChatProcess chat) => new() { BaseAddress = chat.Url, Timeout = WebHost.Deadline };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null, string? contentType = null, string? host = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType!);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        return await http.SendAsync(request);
    }

    private static async Task AssertUntouchedAsync(HttpClient http, string sessionId)
    {
        var state = JsonNode.Parse(await http.GetStringAsync($"/codex/sessions/{sessionId}"))!;
        Assert.Equal("active", (string?)state["status"], ignoreCase: true);
        Assert.Empty(state["turns"]!.AsArray());
        Assert.Equal(0, (long)state["lastEventId"]!);
    }

    /// <summary>Exactly <paramref name="count"/> more sessions open for this tenant, and then the limit refuses one.</summary>
    private static async Task AssertSessionsLeftAsync(HttpClient http, int count, string? origin = null)
    {
        for (var i = 0; i < count; i++)
        {
            using var created = await SendAsync(http, HttpMethod.Post, "/codex/sessions", """{"artifactId":"webchat"}""", "application/json", origin: origin);
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"session {i + 1} of {count}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }

        using var over = await SendAsync(http, HttpMethod.Post, "/codex/sessions", """{"artifactId":"webchat"}""", "application/json", origin: origin);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
