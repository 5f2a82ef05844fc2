using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.Serialization;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.Protocol;

public sealed class TolerantReadingTests
{
    [Fact]
    public void Unknown_members_are_kept_and_written_back()
    {
        var read = Read<ThreadArchiveParams>("""{"threadId":"t1","futureFlag":true,"futureObject":{"a":[1,2]}}""");

        Assert.Equal("t1", read.ThreadId);
        Assert.Equal(2, read.AdditionalProperties!.Count);
        var written = Write(read);
        Assert.True(written.GetProperty("futureFlag").GetBoolean());
        Assert.Equal(2, written.GetProperty("futureObject").GetProperty("a").GetArrayLength());
    }

    [Fact]
    public void Unknown_union_tag_reads_as_unrecognized_with_the_raw_json_and_writes_it_back()
    {
        var read = Read<ItemCompletedNotification>("""{"threadId":"t","turnId":"u","item":{"type":"hologram","id":"h1","depth":3}}""");

        var unknown = Assert.IsType<UnrecognizedThreadItem>(read.Item);
        Assert.Equal(3, unknown.Raw.GetProperty("depth").GetInt32());
        Assert.Equal("hologram", Write(read).GetProperty("item").GetProperty("type").GetString());
    }

    [Fact]
    public void Known_union_tag_reads_as_its_case()
    {
        var read = Read<ItemCompletedNotification>("""{"threadId":"t","turnId":"u","item":{"type":"agentMessage","id":"m1","text":"hi"}}""");
        var message = Assert.IsType<AgentMessageThreadItem>(read.Item);
        Assert.Equal("hi", message.Text);
        Assert.Equal("agentMessage", Write(read).GetProperty("item").GetProperty("type").GetString());
    }

    [Fact]
    public void Unknown_enum_value_reads_as_unrecognized_and_refuses_to_be_written()
    {
        var read = Read<ThreadStartParams>("""{"approvalPolicy":"ask-the-moon","sandbox":"read-only"}""");

        Assert.Equal(SandboxMode.ReadOnly, read.Sandbox);
        var policy = Assert.IsType<AskForApproval.Unrecognized>(read.ApprovalPolicy);
        Assert.Equal("ask-the-moon", policy.Raw.GetString());
        Assert.Equal(SandboxMode.Unrecognized, Read<ThreadStartParams>("""{"sandbox":"glass-box"}""").Sandbox);
        var error = Assert.Throws<JsonException>(() => Write(new ThreadStartParams { Sandbox = SandboxMode.Unrecognized }));
        Assert.Contains("cannot be written back", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Floor_version_enum_values_stay_readable()
    {
        // 0.104.0 still knows approval policy "on-failure", which 0.169.0 dropped.
        var read = Read<ThreadStartParams>("""{"approvalPolicy":"on-failure"}""");
        Assert.IsType<AskForApproval.OnFailure>(read.ApprovalPolicy);
    }

    [Fact]
    public void Missing_optional_fields_are_null_and_null_fields_are_not_written()
    {
        var read = Read<ThreadStartParams>("{}");
        Assert.Null(read.Cwd);
        Assert.Null(read.Model);
        Assert.Equal("{}", JsonSerializer.Serialize(read, CodexJsonContext.Default.ThreadStartParams));
    }

    [Fact]
    public void A_field_both_versions_require_must_be_present()
    {
        var error = Assert.Throws<JsonException>(() => Read<ThreadArchiveParams>("{}"));
        Assert.Contains("threadId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_only_newer_versions_send_is_optional()
    {
        // 0.104.0's initialize returns only userAgent.
        var read = Read<InitializeResponse>("""{"userAgent":"x/0.104.0"}""");
        Assert.Null(read.CodexHome);
        Assert.Null(read.PlatformOs);
    }

    [Theory]
    [InlineData("\"accept\"", typeof(CommandExecutionApprovalDecision.Accept))]
    [InlineData("\"acceptForSession\"", typeof(CommandExecutionApprovalDecision.AcceptForSession))]
    [InlineData("\"decline\"", typeof(CommandExecutionApprovalDecision.Decline))]
    [InlineData("\"cancel\"", typeof(CommandExecutionApprovalDecision.Cancel))]
    [InlineData("""{"acceptWithExecpolicyAmendment":{"execpolicy_amendment":["touch","a.txt"]}}""", typeof(CommandExecutionApprovalDecision.AcceptWithExecpolicyAmendment))]
    [InlineData("\"shrug\"", typeof(CommandExecutionApprovalDecision.Unrecognized))]
    [InlineData("""{"a":1,"b":2}""", typeof(CommandExecutionApprovalDecision.Unrecognized))]
    public void Approval_decisions_read_and_write_in_both_shapes(string json, Type expected)
    {
        var decision = JsonSerializer.Deserialize(json, CodexJsonContext.Default.CommandExecutionApprovalDecision);
        Assert.IsType(expected, decision);
        Assert.Equal(JsonDocument.Parse(json).RootElement.ToString(), JsonSerializer.SerializeToElement(decision, CodexJsonContext.Default.CommandExecutionApprovalDecision).ToString());
    }

    [Fact]
    public void An_approval_response_serializes_to_the_wire_shape_codex_accepts()
    {
        var response = new CommandExecutionRequestApprovalResponse { Decision = new CommandExecutionApprovalDecision.Accept() };
        Assert.Equal("""{"decision":"accept"}""", JsonSerializer.Serialize(response, CodexJsonContext.Default.CommandExecutionRequestApprovalResponse));
    }

    [Fact]
    public void Sandbox_policy_union_reads_its_cases()
    {
        var policy = JsonSerializer.Deserialize("""{"type":"workspaceWrite","writableRoots":["/w"],"networkAccess":false}""", CodexJsonContext.Default.SandboxPolicy);
        var write = Assert.IsType<WorkspaceWriteSandboxPolicy>(policy);
        Assert.Equal(["/w"], write.WritableRoots!);
    }

    private static T Read<T>(string json) => Wire.Read<T>(json);

    private static JsonElement Write<T>(T value) => Wire.Write(value);
}
