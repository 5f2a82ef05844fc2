using CodexRuntime.Protocol;
using CodexRuntime.Tests.Shared;
using Microsoft.Playwright;
using WebChat;
using static Microsoft.Playwright.Assertions;

namespace CodexRuntime.Web.BrowserTests;

/// <summary>
/// The WebChat sample's AG-UI page (agui.html: the official @ag-ui/client, vendored) in headless chromium on the real
/// codex: a prompt stops at codex's approval as an AG-UI interrupt, Approve resumes the same turn, the answer streams
/// in and the command's file is on disk, with nothing written to the console as an error.
/// </summary>
public sealed class AgUiBrowserTests
{
    private static readonly float Timeout = 60_000;

    [Fact]
    public async Task The_AG_UI_page_completes_a_turn_through_an_approval_interrupt()
    {
        await using var chat = await WebChatProcess.StartAsync(CodexProtocolVersions.Pinned.ToString());
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        SetDefaultExpectTimeout(Timeout);

        await page.GotoAsync(new Uri(chat.Url, "agui.html").ToString());
        await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("idle");
        await page.GetByTestId("prompt").FillAsync("Please create the file.");
        await page.GetByTestId("send").ClickAsync();

        var interrupt = page.GetByTestId("interrupt");
        await Expect(interrupt).ToHaveAttributeAsync("data-reason", "codex.command");
        await Expect(interrupt.GetByTestId("interrupt-command")).ToContainTextAsync($"touch {ChatBackend.ApprovedFile}");
        await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("interrupted");
        Assert.False(File.Exists(Path.Combine(chat.Workspace, ChatBackend.ApprovedFile)));
        await interrupt.GetByTestId("approve").ClickAsync();

        await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("finished");
        await Expect(page.Locator("[data-testid=turn][data-status=completed]")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("turn-answer")).ToHaveTextAsync(ChatScript.FirstAnswer);
        await Expect(page.GetByTestId("tool-call")).ToHaveAttributeAsync("data-status", "completed");
        Assert.True(File.Exists(Path.Combine(chat.Workspace, ChatBackend.ApprovedFile)), chat.Output);
        chromium.AssertNoErrors();
    }
}
