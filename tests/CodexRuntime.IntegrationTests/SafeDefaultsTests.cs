using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Events;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Safety;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>
/// The privileged-escalation rule on the real binary: a sandbox other than read-only without the opt-in is refused
/// before codex (or the model behind it) receives anything, on the session path and on the raw paths; with all three
/// conditions met the same sandbox is used.
/// </summary>
public sealed class SafeDefaultsTests
{
    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task A_privileged_session_without_the_opt_in_is_refused_before_codex_starts(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "on-request", null, FakeModelResponse.Text("must not be used"));
        var profile = new RunProfile { Sandbox = SandboxMode.WorkspaceWrite, ApprovalPolicy = CodexApprovalPolicy.OnRequest };

        var error = await Assert.ThrowsAsync<CodexPrivilegedEscalationException>(() => codex.Client.StartSessionAsync(codex.Session(profile)));

        Assert.Equal(PrivilegedEscalationRule.Name, error.Rule);
        Assert.Equal("thread/start", error.Method);
        Assert.Contains("privileged escalation", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowPrivilegedEscalation()", error.Message, StringComparison.Ordinal);
        Assert.Single(error.UnmetConditions);
        Assert.Empty(codex.Envelopes());
        Assert.Equal(State.CodexConnectionStatus.NotStarted, codex.Client.Runtime.Status);
        Assert.Empty(codex.Model.Requests);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Raw_turn_start_and_command_exec_with_a_privileged_sandbox_are_refused_before_sending(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null, FakeModelResponse.Text("must not be used"));
        await using var session = await codex.Client.StartSessionAsync(codex.Session());
        codex.Envelopes();

        var turn = await Assert.ThrowsAsync<CodexPrivilegedEscalationException>(() => codex.Client.AppServer.TurnStartAsync(new TurnStartParams
        {
            ThreadId = session.ThreadId,
            Input = [new TextUserInput { Text = "write something" }],
            SandboxPolicy = new DangerFullAccessSandboxPolicy(),
        }));
        var execParams = new JsonObject { ["command"] = new JsonArray("touch", "x.txt"), ["sandboxPolicy"] = new JsonObject { ["type"] = "workspaceWrite" }, ["cwd"] = codex.Workspace };
        using var exec = JsonDocument.Parse(execParams.ToJsonString());
        var command = await Assert.ThrowsAsync<CodexPrivilegedEscalationException>(() => codex.Client.AppServer.SendRawRequestAsync("command/exec", exec.RootElement));

        Assert.Equal(3, turn.UnmetConditions.Count);
        Assert.Equal("dangerFullAccess", turn.Sandbox);
        Assert.Single(command.UnmetConditions);
        Assert.DoesNotContain(codex.Envelopes(), e => e.Direction == CodexDirection.Outbound);
        Assert.Empty(codex.Model.Requests);
        Assert.False(File.Exists(Path.Combine(codex.Workspace, "x.txt")));
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task With_the_opt_in_an_approval_policy_and_a_scope_the_privileged_sandbox_is_used(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "on-request", null,
            FakeModelResponse.ExecCommand("touch inside.txt"),
            FakeModelResponse.Text("wrote it"));
        var profile = new RunProfile { Sandbox = SandboxMode.WorkspaceWrite, ApprovalPolicy = CodexApprovalPolicy.OnRequest }.AllowPrivilegedEscalation();
        await using var session = await codex.Client.StartSessionAsync(codex.Session(profile));

        var result = await session.AskAsync("write inside.txt");

        Assert.Equal("wrote it", result.Text);
        var sent = codex.Envelopes().Where(e => e.Direction == CodexDirection.Outbound && e.Method is "thread/start" or "turn/start").ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Contains("\"sandbox\":\"workspace-write\"", System.Text.Encoding.UTF8.GetString(sent[0].Json.Span), StringComparison.Ordinal);
        Assert.Contains("\"type\":\"workspaceWrite\"", System.Text.Encoding.UTF8.GetString(sent[1].Json.Span), StringComparison.Ordinal);
        var command = Assert.IsType<CommandExecutionThreadItem>(Assert.Single(result.Items, i => i is CommandExecutionThreadItem));
        Assert.Equal(CommandExecutionStatus.Completed, command.Status);
        Assert.True(File.Exists(Path.Combine(codex.Workspace, "inside.txt")), "the workspace-write sandbox let the command write in the cwd");
    }
}
