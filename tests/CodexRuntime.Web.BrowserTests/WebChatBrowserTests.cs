using CodexRuntime.Protocol;
using CodexRuntime.Tests.Shared;
using Microsoft.Playwright;
using WebChat;
using static Microsoft.Playwright.Assertions;

namespace CodexRuntime.Web.BrowserTests;

/// <summary>
/// The WebChat sample in a real headless browser (Debian's chromium, driven by Playwright), run as a user runs it,
/// on the real codex binary: type a prompt, see the command item and the approval, click Approve, reload in the
/// middle of the streamed answer and see it go on without a gap or a repeat, and find the command's file on disk. Along
/// the way: the approval says why and where, Send is off while a turn runs, nothing is written to the console as an
/// error, and at a phone's width (390 px) nothing scrolls sideways.
/// build/test.sh installs chromium when it is missing (<see cref="HeadlessChromium"/>); without it this test fails.
/// </summary>
public sealed class WebChatBrowserTests
{
    private static readonly float Timeout = 60_000;
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 720 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task Prompt_approve_and_a_reload_mid_stream_show_the_whole_answer_once_with_send_off_during_the_turn_no_console_error_and_no_sideways_scroll_at_390px()
    {
        await using var chat = await WebChatProcess.StartAsync(CodexProtocolVersions.Pinned.ToString(), "--WebChat:StreamPaceMs=120");
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync(new BrowserNewPageOptions { ViewportSize = Desktop });
        page.SetDefaultTimeout(Timeout);
        SetDefaultExpectTimeout(Timeout);
        var results = Environment.GetEnvironmentVariable("CODEX_TEST_RESULTS") ?? Path.Combine(RepositoryLayout.Root, "TestResults");
        Directory.CreateDirectory(results);

        await page.GotoAsync(chat.Url.ToString());
        await Expect(page.Locator("#connection")).ToHaveTextAsync("connected");
        await page.Locator("#prompt").FillAsync("Please create the file.");
        var send = page.Locator("#send");
        await send.ClickAsync();

        // The turn waits for the approval, so it is running: Send stays off. The approval says what, why and where.
        var approval = page.Locator(".approval[data-kind=command]");
        await Expect(approval).ToContainTextAsync($"touch {ChatBackend.ApprovedFile}");
        await Expect(send).ToBeDisabledAsync();
        await Expect(approval.Locator(".reason")).ToContainTextAsync(ChatScript.Justification);
        await Expect(approval.Locator(".cwd")).ToContainTextAsync(chat.Workspace);
        await AssertNoSidewaysScrollAsync(page, Path.Combine(results, "webchat-390px-approval.png"));
        await approval.Locator("button[data-decision=accept]").ClickAsync();
        await Expect(approval).ToHaveCountAsync(0);

        // Reload once the answer is streaming, before it is complete.
        var answer = page.Locator(".turn .answer");
        var firstWords = string.Concat(ChatScript.Pieces(ChatScript.FirstAnswer).Take(3));
        await Expect(answer).ToContainTextAsync(firstWords);
        var beforeReload = await answer.TextContentAsync() ?? string.Empty;
        await page.ReloadAsync();
        // Read at once in the page: while the reloaded turn is still running, Send is off.
        await Expect(page.Locator(".turn")).ToHaveCountAsync(1);
        var afterReload = await page.EvaluateAsync<string[]>("() => [document.querySelector('.turn').dataset.status, String(document.getElementById('send').disabled)]");
        Assert.True(afterReload[0] != "inProgress" || afterReload[1] == "true", $"After the reload the turn is {afterReload[0]} and Send is disabled: {afterReload[1]}.");

        await Expect(page.Locator(".turn[data-status=completed]")).ToHaveCountAsync(1);
        await Expect(send).ToBeEnabledAsync();
        Assert.Equal(ChatScript.FirstAnswer, await answer.TextContentAsync());
        Assert.True(beforeReload.Length < ChatScript.FirstAnswer.Length && ChatScript.FirstAnswer.StartsWith(beforeReload, StringComparison.Ordinal),
            $"The reload was not mid-stream: the page had '{beforeReload}' before it.");
        await Expect(page.Locator(".item[data-type=commandExecution]")).ToContainTextAsync(ChatBackend.ApprovedFile);
        await Expect(page.Locator(".item[data-type=commandExecution]")).ToHaveAttributeAsync("data-status", "completed");
        Assert.True(File.Exists(Path.Combine(chat.Workspace, ChatBackend.ApprovedFile)), chat.Output);

        var screenshot = Path.Combine(results, "webchat-after-answer.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 0);

        // A second prompt at a phone's width, one long word (a path) that must wrap: Send off, then on again.
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        var longPath = "/home/someone/projects/" + string.Concat(Enumerable.Repeat("a-rather-long-folder-name/", 8)) + "file.txt";
        await page.Locator("#prompt").FillAsync(longPath);
        await send.ClickAsync();
        await Expect(send).ToBeDisabledAsync();
        await Expect(page.Locator(".turn[data-status=completed]")).ToHaveCountAsync(2);
        await Expect(page.Locator(".turn .answer").Nth(1)).ToHaveTextAsync($"You said: {longPath}");
        await Expect(send).ToBeEnabledAsync();
        await AssertNoSidewaysScrollAsync(page, Path.Combine(results, "webchat-390px.png"));

        chromium.AssertNoErrors();
    }

    /// <summary>At 390 px wide, neither the page nor the scrolling message list is wider than the screen; saves a screenshot.</summary>
    private static async Task AssertNoSidewaysScrollAsync(IPage page, string screenshot)
    {
        var restore = page.ViewportSize;
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.querySelector('main').scrollWidth, document.querySelector('main').clientWidth]");
        Assert.True(widths[0] <= Phone.Width, $"The page is {widths[0]} px wide at {Phone.Width} px: it scrolls sideways.");
        Assert.True(widths[1] <= widths[2], $"The messages are {widths[1]} px wide in {widths[2]} px: they scroll sideways.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        if (restore is not null)
        {
            await page.SetViewportSizeAsync(restore.Width, restore.Height);
        }
    }
}
