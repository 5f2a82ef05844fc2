using System.Text.Json;
using CodexRuntime.Events;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using CodexRuntime.Safety;
using CodexRuntime.Serialization;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.Safety;

public sealed class PrivilegedEscalationRuleTests
{
    [Theory]
    [InlineData("thread/start", """{"cwd":"/w"}""")]
    [InlineData("thread/start", """{"sandbox":"read-only","approvalPolicy":"never"}""")]
    [InlineData("thread/resume", """{"threadId":"t","sandbox":"read-only"}""")]
    [InlineData("turn/start", """{"threadId":"t","input":[],"sandboxPolicy":{"type":"readOnly"}}""")]
    [InlineData("command/exec", """{"command":["ls"]}""")]
    [InlineData("thread/read", """{"threadId":"t","sandbox":"danger-full-access"}""")]
    public void Read_only_or_unsandboxed_methods_pass_without_the_opt_in(string method, string json) =>
        Assert.Empty(PrivilegedEscalationRule.FindViolations(method, Parse(json), optedIn: false));

    [Theory]
    [InlineData("thread/start", """{"sandbox":"workspace-write"}""", 3)]
    [InlineData("thread/fork", """{"threadId":"t","sandbox":"danger-full-access","approvalPolicy":"never","cwd":"/w"}""", 2)]
    [InlineData("thread/start", """{"config":{"sandbox_mode":"danger-full-access"},"cwd":"/w"}""", 2)]
    [InlineData("turn/start", """{"threadId":"t","input":[],"sandboxPolicy":{"type":"workspaceWrite"},"approvalPolicy":"on-request"}""", 2)]
    [InlineData("turn/start", """{"threadId":"t","input":[],"sandboxPolicy":{"type":"someFutureSandbox"},"approvalPolicy":"on-request","cwd":"/w"}""", 1)]
    [InlineData("command/exec", """{"command":["ls"],"sandboxPolicy":{"type":"dangerFullAccess"}}""", 2)]
    public void A_privileged_sandbox_lists_every_unmet_condition(string method, string json, int unmet)
    {
        var violations = PrivilegedEscalationRule.FindViolations(method, Parse(json), optedIn: false);

        Assert.Equal(unmet, violations.Count);
        Assert.Contains(violations, v => v.Contains("AllowPrivilegedEscalation()", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("thread/start", """{"sandbox":"workspace-write","approvalPolicy":"on-request","cwd":"/w"}""")]
    [InlineData("thread/resume", """{"threadId":"t","config":{"sandbox_mode":"workspace-write","approval_policy":"untrusted"},"cwd":"/w"}""")]
    [InlineData("turn/start", """{"threadId":"t","input":[],"sandboxPolicy":{"type":"workspaceWrite","writableRoots":["/w"]},"approvalPolicy":{"granular":{"mcp_elicitations":true}}}""")]
    [InlineData("command/exec", """{"command":["ls"],"sandboxPolicy":{"type":"dangerFullAccess"},"cwd":"/w"}""")]
    public void With_the_opt_in_an_approval_policy_and_a_scope_the_request_passes(string method, string json) =>
        Assert.Empty(PrivilegedEscalationRule.FindViolations(method, Parse(json), optedIn: true));

    [Theory]
    [InlineData("thread/start", """{"cwd":"/w"}""")]
    [InlineData("thread/start", """{"sandbox":"workspace-write"}""")]
    [InlineData("thread/start", """{"sandbox":"workspace-write","approvalPolicy":"on-request","cwd":"/w"}""")]
    [InlineData("thread/start", """{"config":{"sandbox_mode":"danger-full-access"},"cwd":"/w"}""")]
    [InlineData("thread/resume", """{"threadId":"t","config":{"sandbox_mode":"workspace-write","approval_policy":"untrusted"},"cwd":"/w"}""")]
    [InlineData("thread/fork", """{"threadId":"t","sandbox":"danger-full-access","approvalPolicy":"never","cwd":"/w"}""")]
    [InlineData("turn/start", """{"threadId":"t","input":[],"sandboxPolicy":{"type":"readOnly"}}""")]
    [InlineData("turn/start", """{"threadId":"t","input":[],"sandboxPolicy":{"type":"workspaceWrite"},"approvalPolicy":"on-request"}""")]
    [InlineData("turn/start", """{"threadId":"t","input":[],"sandboxPolicy":{"type":"workspaceWrite","writableRoots":["/w"]},"approvalPolicy":"untrusted"}""")]
    [InlineData("turn/start", """{"threadId":"t","input":[],"sandboxPolicy":{"type":"someFutureSandbox"},"approvalPolicy":"on-request","cwd":"/w"}""")]
    [InlineData("command/exec", """{"command":["ls"],"sandboxPolicy":{"type":"dangerFullAccess"}}""")]
    [InlineData("command/exec", """{"command":["ls"],"sandboxPolicy":{"type":"dangerFullAccess"},"cwd":"/w"}""")]
    public void Typed_params_are_judged_exactly_as_their_json(string method, string json)
    {
        object typed = method switch
        {
            "thread/start" => JsonSerializer.Deserialize<ThreadStartParams>(json, CodexJsonContext.Default.ThreadStartParams)!,
            "thread/resume" => JsonSerializer.Deserialize<ThreadResumeParams>(json, CodexJsonContext.Default.ThreadResumeParams)!,
            "thread/fork" => JsonSerializer.Deserialize<ThreadForkParams>(json, CodexJsonContext.Default.ThreadForkParams)!,
            "turn/start" => JsonSerializer.Deserialize<TurnStartParams>(json, CodexJsonContext.Default.TurnStartParams)!,
            _ => JsonSerializer.Deserialize<CommandExecParams>(json, CodexJsonContext.Default.CommandExecParams)!,
        };
        var view = ((ISandboxRequestSource)typed).ToSandboxRequest();

        Assert.NotNull(view);
        foreach (var optedIn in new[] { false, true })
        {
            Assert.Equal(PrivilegedEscalationRule.FindViolations(method, Parse(json), optedIn), PrivilegedEscalationRule.Check(method, view.Value, optedIn).Missing);
        }
    }

    [Fact]
    public void The_error_names_the_rule_the_method_and_each_fix()
    {
        // The rule judges and the root layer throws, as the connection does for every outbound request.
        var parameters = Parse("""{"threadId":"t","input":[],"sandboxPolicy":{"type":"dangerFullAccess"},"approvalPolicy":"never"}""");
        var error = Assert.Throws<CodexPrivilegedEscalationException>(() =>
            CodexPrivilegedEscalationException.ThrowIfRefused("turn/start", PrivilegedEscalationRule.CheckOutbound("turn/start", parameters, static _ => default, optedIn: false)));

        Assert.Equal("turn/start", error.Method);
        Assert.Equal("dangerFullAccess", error.Sandbox);
        Assert.Equal("privileged escalation", error.Rule);
        Assert.Equal(3, error.UnmetConditions.Count);
        Assert.Contains("'privileged escalation'", error.Message, StringComparison.Ordinal);
        Assert.Contains("approval policy is never", error.Message, StringComparison.Ordinal);
        Assert.Contains("set cwd or the sandbox policy's writableRoots", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_enforces_it_on_raw_calls_even_without_contract_validation()
    {
        await using var scripted = await ScriptedRuntime.StartAsync(options =>
        {
            options.Connection.ValidationMode = CodexValidationMode.None;
            options.Connection.AllowPrivilegedEscalation = true;
        });
        using var outbound = scripted.Runtime.Subscribe(new CodexSubscriptionOptions { Filter = e => e.Direction == CodexDirection.Outbound });

        // Opted in on the connection, but no approval policy and no scope: refused before sending.
        var refused = await Assert.ThrowsAsync<CodexPrivilegedEscalationException>(() =>
            scripted.Runtime.AppServer.SendRawRequestAsync("thread/start", Parse("""{"sandbox":"danger-full-access","approvalPolicy":"never"}""")));
        Assert.Equal(2, refused.UnmetConditions.Count);
        Assert.False(outbound.Reader.TryRead(out _));

        // All three conditions met: sent.
        var call = scripted.Runtime.AppServer.SendRawRequestAsync("thread/start", Parse("""{"sandbox":"danger-full-access","approvalPolicy":"on-request","cwd":"/w"}"""));
        var request = await scripted.AnswerNextAsync("""{"thread":{"id":"t1"}}""");
        await call;
        Assert.Equal("thread/start", (string?)request["method"]);
        Assert.True(outbound.Reader.TryRead(out var sent));
        Assert.Equal("thread/start", sent.Method);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
