using CodexRuntime.Protocol;
using CodexRuntime.Web.Tests.Support;
using Microsoft.Playwright;
using WebChat;
using static Microsoft.Playwright.Assertions;

namespace CodexRuntime.Web.BrowserTests;

/// <summary>
/// The WebChat page through <c>--replicas 3</c>'s round-robin proxy, in headless chromium: the page's EventSource
/// streams through the proxy (YARP), the approval it shows is answered through the proxy, and when the replica that
/// carries the page's event stream (not the one holding the session) is killed, the EventSource reconnects through the
/// proxy to another replica and the same page takes another turn.
/// </summary>
public sealed class WebChatReplicasBrowserTests
{
    private static readonly float Timeout = 60_000;

    [Fact]
    public async Task Through_the_proxy_the_page_streams_and_its_EventSource_reconnects_when_the_replica_carrying_it_is_killed()
    {
        await using var cluster = await WebChatCluster.StartAsync(CodexProtocolVersions.Pinned.ToString(), "--WebChat:StreamPaceMs=40");
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        SetDefaultExpectTimeout(Timeout);
        // The kill breaks the page's stream, which the browser reports; any other error is the test's failure.
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add($"{message.Text} ({message.Location})");
                }
            }
        };

        await page.GotoAsync(cluster.Url.ToString());
        await Expect(page.Locator("#connection")).ToHaveTextAsync("connected");
        await page.Locator("#prompt").FillAsync("Please create the file.");
        await page.Locator("#send").ClickAsync();

        var approval = page.Locator(".approval[data-kind=command]");
        await Expect(approval).ToContainTextAsync($"touch {ChatBackend.ApprovedFile}");
        var cwd = await approval.Locator(".cwd").TextContentAsync() ?? string.Empty;
        var holder = cluster.Replicas.Single(r => cwd.Contains(r.Workspace, StringComparison.Ordinal));
        await approval.Locator("button[data-decision=accept]").ClickAsync();
        await Expect(page.Locator(".turn[data-status=completed]")).ToHaveCountAsync(1);
        await Expect(page.Locator(".turn .answer").First).ToHaveTextAsync(ChatScript.FirstAnswer);

        // The page's stream runs through the replica that served its last events request; a reload asks again until
        // that is not the session's holder (one more request first, so a page load's own count cannot keep the round
        // robin on the same replica).
        var sessionId = await page.EvaluateAsync<string>("() => sessionStorage.getItem('codex-session') ?? ''");
        var events = $"/codex/sessions/{sessionId}/events";
        using var http = new HttpClient { BaseAddress = cluster.Url, Timeout = TimeSpan.FromSeconds(60) };
        for (var reload = 0; cluster.LastServedBy(events) == holder.Index && reload < 6; reload++)
        {
            (await http.GetAsync("/")).Dispose();
            await page.ReloadAsync();
            await Expect(page.Locator("#connection")).ToHaveTextAsync("connected");
        }

        var carrier = cluster.Replicas.Single(r => r.Index == cluster.LastServedBy(events));
        Assert.NotEqual(holder, carrier);
        using (var process = System.Diagnostics.Process.GetProcessById(carrier.Pid))
        {
            process.Kill(entireProcessTree: true);
        }

        await cluster.ReplicaExited(carrier.Index).WaitAsync(TimeSpan.FromSeconds(60));
        await Expect(page.Locator("#reconnects")).ToHaveTextAsync("reconnects: 1");
        await Expect(page.Locator("#connection")).ToHaveTextAsync("connected");
        Assert.NotEqual(carrier.Index, cluster.LastServedBy(events));

        await page.Locator("#prompt").FillAsync("still there?");
        await page.Locator("#send").ClickAsync();
        await Expect(page.Locator(".turn[data-status=completed]")).ToHaveCountAsync(2);
        await Expect(page.Locator(".turn .answer").Nth(1)).ToHaveTextAsync("You said: still there?");
        lock (errors)
        {
            Assert.True(errors.All(e => e.Contains(events, StringComparison.Ordinal)), string.Join('\n', errors));
        }
    }
}
