using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using CodexRuntime.ServerRequests;
using CodexRuntime.Tests.Shared;
using CodexRuntime.Tests.Support;
using CodexRuntime.Transport;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Tests;

/// <summary>
/// The mistakes a new user makes in the first hour, each with the answer that says what was wrong and how to fix it
/// (docs/getting-started.md lists them).
/// </summary>
public sealed class FirstMistakesTests
{
    [Fact]
    public async Task A_program_that_is_not_codex_fails_saying_so()
    {
        var config = new ClientConfig { Runtime = { Process = new CodexProcessOptions { ExecutablePath = "/bin/false" } } };
        await using var client = new CodexClient(config);

        var error = await Assert.ThrowsAsync<CodexConnectException>(() => client.ConnectAsync());

        Assert.Contains("not the codex CLI", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("CliPath", error.Message, StringComparison.Ordinal);
        AssertReadable(error);
    }

    [Fact]
    public async Task A_cwd_that_is_a_file_is_called_a_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            await using var client = new CodexClient(new ClientConfig());
            var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => client.StartSessionAsync(new SessionConfig(file)));
            Assert.Contains("is a file, not a folder", error.Message, StringComparison.Ordinal);
            Assert.Null(client.ProcessId); // codex was not started for nothing
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Approval_handlers_under_policy_never_are_refused_naming_both_settings()
    {
        var profile = new RunProfile { CommandApproval = new AcceptCommands() };

        var problem = Assert.Single(profile.Validate());

        Assert.Contains("RunProfile.CommandApproval", problem, StringComparison.Ordinal);
        Assert.Contains("RunProfile.ApprovalPolicy is Never", problem, StringComparison.Ordinal);
        Assert.Contains("OnRequest", problem, StringComparison.Ordinal);
        Assert.Empty(new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest, CommandApproval = new AcceptCommands() }.Validate());
        Assert.Empty(new RunProfile().Validate()); // the default DeclineAll is no handler of the user's
    }

    [Fact]
    public void The_profile_is_the_third_argument_of_both_QuickRun_overloads()
    {
        var overloads = typeof(Codex).GetMethods().Where(m => m.Name == nameof(Codex.QuickRunAsync)).ToList();

        Assert.Equal(2, overloads.Count);
        Assert.All(overloads, m => Assert.Equal(typeof(RunProfile), m.GetParameters()[2].ParameterType));
    }

    [Fact]
    public void A_transport_message_ends_one_sentence_once()
    {
        var error = new CodexTransportClosedException("the codex process exited.", 1, string.Empty);

        Assert.Equal("the codex process exited (exit code 1).", error.Message);
        AssertReadable(error);
    }

    [Fact]
    public async Task A_codex_newer_than_the_pinned_one_is_named_in_a_warning_and_the_state()
    {
        using var logs = new CapturedLogs();
        var peer = ScriptedPeer.Create();
        var connecting = CodexConnection.ConnectAsync(peer.ClientTransport, loggerFactory: logs.Factory);
        var initialize = await peer.ReadAsync();
        await peer.ReplyAsync(initialize, """{"id":0,"result":{"userAgent":"codex_cli_rs/9.1.0 (Debian 12.0.0; x86_64) xterm"}}""");
        await peer.ReadLineAsync();
        await using var connection = await connecting.WaitAsync(TimeSpan.FromSeconds(10));
        await using var _ = peer;

        Assert.True(connection.ServerInfo.IsNewerThanPinned);
        var warning = Assert.Single(logs.At(LogLevel.Warning));
        Assert.Contains("9.1.0", warning, StringComparison.Ordinal);
        Assert.Contains(CodexProtocolVersions.Pinned.ToString(), warning, StringComparison.Ordinal);
    }

    private static void AssertReadable(Exception error)
    {
        Assert.DoesNotContain("..", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(". (", error.Message, StringComparison.Ordinal);
    }

    private sealed class AcceptCommands : ICommandApprovalHandler
    {
        public ValueTask<CommandExecutionRequestApprovalResponse> HandleAsync(CommandExecutionRequestApprovalParams request, CodexServerRequestContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new CommandExecutionRequestApprovalResponse { Decision = new CommandExecutionApprovalDecision.Accept() });
    }
}
