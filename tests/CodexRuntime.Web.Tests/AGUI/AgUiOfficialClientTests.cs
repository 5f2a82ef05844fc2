using System.Text.Json.Nodes;
using CodexRuntime.Events;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests.AGUI;

/// <summary>
/// The official AG-UI client (@ag-ui/client 1.0.0's <c>HttpAgent</c>, in node) against <c>MapCodexAGUI</c> on the real
/// codex (floor and newest): every event it receives passes @ag-ui/core's schemas and the order rules, for a text turn,
/// a command, and an approval round trip whose resume continues the same codex turn.
/// </summary>
public sealed class AgUiOfficialClientTests
{
    private static readonly Dictionary<string, string> TenantA = new() { ["X-Tenant"] = "tenant-a" };

    [Theory]
    [MemberData(nameof(WebTheories.Versions), MemberType = typeof(WebTheories))]
    public async Task A_text_turn_is_a_valid_AG_UI_run(string version)
    {
        await using var host = await AgUiFlowTests.StartAsync(version, [FakeModelResponse.StreamedText(["Hello", " from", " codex."])]);

        var run = await AgUiNodeClient.RunAsync(Url(host), AgUiNodeClient.Input("thread-1", "run-1", "Say hello."), TenantA);

        run.AssertValid();
        Assert.Equal("Hello from codex.", run.Text);
        Assert.Equal("RUN_STARTED", run.Types[0]);
        Assert.Equal("RUN_FINISHED", run.Types[^1]);
        Assert.Empty(run.Interrupts);
    }

    [Theory]
    [MemberData(nameof(WebTheories.Versions), MemberType = typeof(WebTheories))]
    public async Task A_turn_with_a_command_is_a_valid_AG_UI_run_with_the_agents_tool_call_and_its_result(string version)
    {
        await using var host = await AgUiFlowTests.StartAsync(version,
        [
            FakeModelResponse.ExecCommand("echo agui-command-output", callId: "call-echo"),
            FakeModelResponse.Text("ran it"),
        ]);

        var run = await AgUiNodeClient.RunAsync(Url(host), AgUiNodeClient.Input("thread-1", "run-1", "Run echo."), TenantA);

        run.AssertValid();
        var start = Assert.Single(run.OfType("TOOL_CALL_START"));
        Assert.Equal("commandExecution", start.GetProperty("toolCallName").GetString());
        Assert.Equal("agent", start.GetProperty("metadata").GetProperty("codex").GetProperty("executedBy").GetString());
        var args = JsonNode.Parse(Assert.Single(run.OfType("TOOL_CALL_ARGS")).GetProperty("delta").GetString()!)!;
        Assert.Contains("echo agui-command-output", args["command"]!.ToString(), StringComparison.Ordinal);
        var result = Assert.Single(run.OfType("TOOL_CALL_RESULT"));
        Assert.Equal(start.GetProperty("toolCallId").GetString(), result.GetProperty("toolCallId").GetString());
        Assert.Contains("agui-command-output", result.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("ran it", run.Text);
    }

    [Theory]
    [MemberData(nameof(WebTheories.ApprovalCases), MemberType = typeof(WebTheories))]
    public async Task An_approval_is_an_interrupt_and_the_resuming_run_decides_the_command_in_the_same_codex_turn(string version, string answer)
    {
        await using var host = await AgUiFlowTests.StartAsync(version,
        [
            FakeModelResponse.ExecCommand("touch approved.txt && echo approved-run", requestEscalation: true, callId: "call-official"),
            FakeModelResponse.Text("finished"),
        ]);
        using var audit = host.Client.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000 });
        var seen = new List<CodexEnvelope>();

        var first = await AgUiNodeClient.RunAsync(Url(host), AgUiNodeClient.Input("thread-1", "run-1", "create approved.txt"), TenantA);

        first.AssertValid();
        var interrupt = Assert.Single(first.Interrupts);
        Assert.Equal("codex.command", interrupt.GetProperty("reason").GetString());
        Assert.Contains("touch approved.txt", interrupt.GetProperty("metadata").GetProperty("codex").GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(host.Workspace.FullName, "approved.txt")));

        var resume = AgUiNodeClient.Resume(interrupt.GetProperty("id").GetString()!, new JsonObject { ["decision"] = answer });
        var second = await AgUiNodeClient.RunAsync(Url(host), AgUiNodeClient.Input("thread-1", "run-2", null, resume), TenantA);

        second.AssertValid();
        Assert.Empty(second.Interrupts);
        Assert.Equal("finished", second.Text);
        Assert.Single(second.OfType("TOOL_CALL_RESULT"));
        Assert.Equal(answer == "accept", File.Exists(Path.Combine(host.Workspace.FullName, "approved.txt")));
        Assert.Equal(1, audit.Sent(seen, "turn/start")); // the resume continued the turn; it started none
    }

    private static Uri Url(WebHost host) => new(host.BaseAddress, "/agui");
}
