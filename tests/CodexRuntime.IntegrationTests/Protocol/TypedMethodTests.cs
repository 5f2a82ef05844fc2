using System.Text;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests.Protocol;

/// <summary>The generated typed API against the real binary, on both ends of the supported range.</summary>
public sealed class TypedMethodTests
{
    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Typed_methods_round_trip_against_the_real_binary(string version)
    {
        // The floor version's command/exec needs the full-access sandbox (see 10. below): opt in, as the safe-defaults rule asks.
        await using var codex = await RealCodex.StartAsync(version, "never", new CodexConnectionOptions { AllowPrivilegedEscalation = true }, FakeModelResponse.Text("typed hello"));
        var connection = codex.Connection;
        var cwd = codex.Workspace.FullName;

        // 1. thread/start
        var started = await connection.CallAsync(CodexMethods.ThreadStart, new ThreadStartParams { Cwd = cwd });
        var threadId = started.Thread.Id;
        Assert.Equal(cwd, started.Thread.Cwd);

        // 2. turn/start, then the typed turn/completed notification
        var turn = await connection.CallAsync(CodexMethods.TurnStart, new TurnStartParams
        {
            ThreadId = threadId,
            Input = [new TextUserInput { Text = "say it typed" }],
        });
        var completedMessage = await codex.Observer.WaitForAsync(m => m.Is(CodexNotifications.TurnCompleted), RealCodex.Deadline);
        var completed = completedMessage.ReadParams(CodexNotifications.TurnCompleted);
        Assert.Equal(turn.Turn.Id, completed.Turn.Id);
        Assert.Equal(TurnStatus.Completed, completed.Turn.Status);

        // 3. thread/read with turns: the typed items include the scripted answer
        var read = await connection.CallAsync(CodexMethods.ThreadRead, new ThreadReadParams { ThreadId = threadId, IncludeTurns = true });
        Assert.Equal(threadId, read.Thread.Id);
        var items = read.Thread.Turns!.SelectMany(t => t.Items).ToList();
        Assert.Contains(items.OfType<AgentMessageThreadItem>(), m => m.Text == "typed hello");
        Assert.Contains(items.OfType<UserMessageThreadItem>(), _ => true);

        // 4. thread/name/set
        await connection.CallAsync(CodexMethods.ThreadNameSet, new ThreadSetNameParams { ThreadId = threadId, Name = "typed thread" });

        // 5. thread/list sees it
        var listed = await connection.CallAsync(CodexMethods.ThreadList, new ThreadListParams());
        Assert.Contains(listed.Data, t => t.Id == threadId);

        // 6, 7. thread/archive and thread/unarchive
        await connection.CallAsync(CodexMethods.ThreadArchive, new ThreadArchiveParams { ThreadId = threadId });
        var archived = await connection.CallAsync(CodexMethods.ThreadList, new ThreadListParams { Archived = true });
        Assert.Contains(archived.Data, t => t.Id == threadId);
        await connection.CallAsync(CodexMethods.ThreadUnarchive, new ThreadUnarchiveParams { ThreadId = threadId });

        // 8. model/list
        var models = await connection.CallAsync(CodexMethods.ModelList, new ModelListParams());
        Assert.NotNull(models.Data);

        // 9. config/read: the model from TemporaryCodexHome's config.toml
        var config = await connection.CallAsync(CodexMethods.ConfigRead, new ConfigReadParams { Cwd = cwd });
        Assert.Equal("mock-model", config.Config.Model);

        // 10. command/exec runs a real command. codex 0.104.0's app-server cannot start its Linux sandbox for
        // command/exec ("codex-linux-sandbox was required but not provided"), so there the test asks for no sandbox.
        var exec = await connection.CallAsync(CodexMethods.CommandExec, new CommandExecParams
        {
            Command = ["echo", "typed exec"],
            Cwd = cwd,
            SandboxPolicy = version == CodexInstallations.Floor && OperatingSystem.IsLinux() ? new DangerFullAccessSandboxPolicy() : null,
        });
        Assert.Equal(0, exec.ExitCode);
        Assert.Equal("typed exec", exec.Stdout.Trim());

        // 11. skills/list
        var skills = await connection.CallAsync(CodexMethods.SkillsList, new SkillsListParams { Cwds = [cwd] });
        Assert.Equal(cwd, Assert.Single(skills.Data).Cwd);

        // 12. mcpServerStatus/list: no MCP servers configured
        var mcp = await connection.CallAsync(CodexMethods.McpServerStatusList, new ListMcpServerStatusParams());
        Assert.Empty(mcp.Data);

        // 13, 14. fs/writeFile + fs/readFile exist only in newer codex: on the floor version they are refused before sending.
        var path = Path.Combine(cwd, "typed.txt");
        var write = new FsWriteFileParams { Path = path, DataBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("typed bytes")) };
        if (version == CodexInstallations.Floor)
        {
            var error = await Assert.ThrowsAsync<CodexMethodUnavailableException>(() => connection.CallAsync(CodexMethods.FsWriteFile, write));
            Assert.Equal(version, error.ServerVersion);
            Assert.False(File.Exists(path));
        }
        else
        {
            await connection.CallAsync(CodexMethods.FsWriteFile, write);
            var back = await connection.CallAsync(CodexMethods.FsReadFile, new FsReadFileParams { Path = path });
            Assert.Equal("typed bytes", Encoding.UTF8.GetString(Convert.FromBase64String(back.DataBase64)));
        }

        Assert.Equal(0, connection.MalformedLineCount);
    }
}
