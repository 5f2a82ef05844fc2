using CodexRuntime.Protocol;
using CodexRuntime.Tests.Shared;
using Microsoft.Playwright;
using WebChat;
using static Microsoft.Playwright.Assertions;

namespace CodexRuntime.Web.BrowserTests;

/// <summary>
/// The WebChat sample in a real headless browser (Debian's chromium, driven by Playwright), run as a user runs it,
/// on the real codex binary: type a prompt, see the command item and the approval, click Approve, reload in the
/// middle of the streamed answer and see it go on without a gap or a repeat, and find the command's file on disk.
/// build/test.sh installs chromium when it is missing; without it this test fails (it is never skipped).
/// </summary>
public sealed class WebChatBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly float Timeout = 60_000;

    [Fact]
    public async Task Prompt_approve_and_a_reload_mid_stream_show_the_whole_answer_once()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install -y chromium; build/test.sh does it).");
        await using var chat = await WebChatProcess.StartAsync(CodexProtocolVersions.Pinned.ToString(), "--WebChat:StreamPaceMs=120");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // This machine's network is closed: no background connections, no first-run work.
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        SetDefaultExpectTimeout(Timeout);

        await page.GotoAsync(chat.Url.ToString());
        await Expect(page.Locator("#connection")).ToHaveTextAsync("connected");
        await page.Locator("#prompt").FillAsync("Please create the file.");
        await page.Locator("#send").ClickAsync();

        var approval = page.Locator(".approval[data-kind=command]");
        await Expect(approval).ToContainTextAsync($"touch {ChatBackend.ApprovedFile}");
        await approval.Locator("button[data-decision=accept]").ClickAsync();
        await Expect(approval).ToHaveCountAsync(0);

        // Reload once the answer is streaming, before it is complete.
        var answer = page.Locator(".turn .answer");
        var firstWords = string.Concat(ChatScript.Pieces(ChatScript.FirstAnswer).Take(3));
        await Expect(answer).ToContainTextAsync(firstWords);
        var beforeReload = await answer.TextContentAsync() ?? string.Empty;
        await page.ReloadAsync();

        await Expect(page.Locator(".turn[data-status=completed]")).ToHaveCountAsync(1);
        Assert.Equal(ChatScript.FirstAnswer, await answer.TextContentAsync());
        Assert.True(beforeReload.Length < ChatScript.FirstAnswer.Length && ChatScript.FirstAnswer.StartsWith(beforeReload, StringComparison.Ordinal),
            $"The reload was not mid-stream: the page had '{beforeReload}' before it.");
        await Expect(page.Locator(".item[data-type=commandExecution]")).ToContainTextAsync(ChatBackend.ApprovedFile);
        await Expect(page.Locator(".item[data-type=commandExecution]")).ToHaveAttributeAsync("data-status", "completed");
        Assert.True(File.Exists(Path.Combine(chat.Workspace, ChatBackend.ApprovedFile)), chat.Output);

        var results = Environment.GetEnvironmentVariable("CODEX_TEST_RESULTS") ?? Path.Combine(RepositoryLayout.Root, "TestResults");
        Directory.CreateDirectory(results);
        var screenshot = Path.Combine(results, "webchat-after-answer.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 0);
    }
}
