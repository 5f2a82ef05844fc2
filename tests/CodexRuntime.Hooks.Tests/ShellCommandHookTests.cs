using System.Text.Json;
using CodexRuntime.Testing;

namespace CodexRuntime.Hooks.Tests;

// Real /bin/sh processes (Linux CI). Each test works in its own temporary folder, which is also the context's cwd:
// the hook's command runs there, so scripts write their evidence to relative files.
public sealed class ShellCommandHookTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("codex-hooks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Exit_0_with_empty_stdout_is_noop()
    {
        var action = await PreAsync("cat > /dev/null; exit 0");

        Assert.Same(CodexInterceptorDecision.Continue, action);
    }

    [Fact]
    public async Task Exit_0_with_noop_json_is_noop()
    {
        var action = await PreAsync("""echo '{"action":"noop"}'""");

        Assert.Same(CodexInterceptorDecision.Continue, action);
    }

    [Fact]
    public async Task Exit_0_with_mutate_json_is_a_patch()
    {
        var action = await PreAsync("""
            cat > /dev/null
            echo '{"action":"mutate","patch":{"prompt":"new prompt","model":"gpt-other","metadata":{"ticket":"T-1"},"attachments":[{"type":"file","path":"notes.md"}]}}'
            """);

        Assert.Equal(CodexInterceptionOutcome.Mutated, action.Outcome);
        var patch = Assert.IsType<CodexRunPatch>(action.Patch);
        Assert.Equal("new prompt", patch.Prompt);
        Assert.Equal("gpt-other", patch.Model);
        Assert.Equal("T-1", patch.Metadata["ticket"]);
        Assert.Equal("notes.md", Assert.Single(patch.AddedAttachments).Value);
    }

    [Theory]
    [InlineData("""echo '{"action":"block","reason":"policy says no"}'""", "policy says no")]
    [InlineData("echo 'force pushes are not allowed' >&2; echo 'second line' >&2; exit 2", "force pushes are not allowed")]
    [InlineData("""echo '{"reason":"from stdout"}'; echo 'from stderr' >&2; exit 2""", "from stdout")]
    [InlineData("echo 'not json' ; echo 'from stderr' >&2; exit 2", "from stderr")]
    public async Task Block_json_on_exit_0_or_exit_2_blocks_with_the_reason_from_stdout_json_else_stderr(string command, string reason)
    {
        var action = await PreAsync(command);

        Assert.Equal(CodexInterceptionOutcome.Blocked, action.Outcome);
        Assert.Equal(reason, action.Reason);
    }

    [Fact]
    public async Task Exit_2_without_any_reason_blocks_with_a_default_naming_the_hook()
    {
        var action = await PreAsync("exit 2");

        Assert.Equal(CodexInterceptionOutcome.Blocked, action.Outcome);
        Assert.Contains("'shell'", action.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exit_3_throws_naming_the_code_and_the_first_line_of_stderr()
    {
        var error = await Assert.ThrowsAsync<ShellHookException>(() => PreAsync("echo 'linter crashed' >&2; exit 3").AsTask());

        Assert.Equal(3, error.ExitCode);
        Assert.Equal("shell", error.HookName);
        Assert.Contains("code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("linter crashed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo 'not json'")]
    [InlineData("""echo '{"action":"explode"}'""")]
    [InlineData("""echo '{"action":"mutate"}'""")]
    [InlineData("""echo '{"action":"mutate","patch":{"attachments":[{"type":"video","path":"x"}]}}'""")]
    public async Task Exit_0_with_an_invalid_decision_throws(string command)
    {
        var error = await Assert.ThrowsAsync<ShellHookException>(() => PreAsync(command).AsTask());

        Assert.Equal(0, error.ExitCode);
        Assert.Contains("invalid decision", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_post_phase_exit_0_continues_whatever_stdout_says_and_any_other_code_throws()
    {
        var ok = await new ShellCommandHook("post", """cat > seen.json; echo '{"action":"block","reason":"ignored"}'""").InterceptAsync(Context(CodexRunPhase.PostTurn), CancellationToken.None);
        var error = await Assert.ThrowsAsync<ShellHookException>(
            () => new ShellCommandHook("post", "exit 2").InterceptAsync(Context(CodexRunPhase.PostTurn), CancellationToken.None).AsTask());

        Assert.Same(CodexInterceptorDecision.Continue, ok);

        Assert.Contains("PostTurn", await File.ReadAllTextAsync(Path.Combine(_dir, "seen.json")), StringComparison.Ordinal);
        Assert.Contains("code 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_context_arrives_on_stdin_as_json_and_never_in_the_command_line_or_environment()
    {
        const string marker = "PROMPT-MARKER-7f3a9c";
        var tool = new CodexToolUse("commandExecution", "item-9", Command: "ls -la", Cwd: _dir, Reason: "look around");
        var metadata = new Dictionary<string, string> { ["ticket"] = "T-42" };
        var context = new CodexRunContext(CodexRunPhase.PreToolUse, _dir, "thread-1", "turn-1", $"please {marker}", "gpt-test", [], metadata, tool);
        var hook = new ShellCommandHook("spy", """
            cat > stdin.json
            tr '\0' ' ' < /proc/$$/cmdline > cmdline.txt
            echo "$0 $@" >> cmdline.txt
            env > env.txt
            """);

        var action = await hook.InterceptAsync(context, CancellationToken.None);

        Assert.Same(CodexInterceptorDecision.Continue, action);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "stdin.json")));
        var root = json.RootElement;
        Assert.Equal("spy", root.GetProperty("hook").GetString());
        Assert.Equal("PreToolUse", root.GetProperty("phase").GetString());
        Assert.True(root.GetProperty("isPre").GetBoolean());
        Assert.Equal(_dir, root.GetProperty("cwd").GetString());
        Assert.Equal("thread-1", root.GetProperty("threadId").GetString());
        Assert.Equal("turn-1", root.GetProperty("turnId").GetString());
        Assert.Equal($"please {marker}", root.GetProperty("prompt").GetString());
        Assert.Equal("gpt-test", root.GetProperty("model").GetString());
        Assert.Equal("T-42", root.GetProperty("metadata").GetProperty("ticket").GetString());
        var toolJson = root.GetProperty("tool");
        Assert.Equal("commandExecution", toolJson.GetProperty("tool").GetString());
        Assert.Equal("item-9", toolJson.GetProperty("itemId").GetString());
        Assert.Equal("ls -la", toolJson.GetProperty("command").GetString());
        Assert.Equal("look around", toolJson.GetProperty("reason").GetString());
        Assert.False(root.TryGetProperty("result", out _));

        var commandLine = await File.ReadAllTextAsync(Path.Combine(_dir, "cmdline.txt"));
        Assert.Contains("/bin/sh", commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, await File.ReadAllTextAsync(Path.Combine(_dir, "env.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hook_past_its_timeout_is_killed_with_its_whole_process_tree()
    {
        var hook = new ShellCommandHook("slow", "echo $$ > sh.pid; sleep 30 & echo $! > sleep.pid; wait", TimeSpan.FromMilliseconds(500));

        var error = await Assert.ThrowsAsync<HookTimeoutException>(() => hook.InterceptAsync(Context(CodexRunPhase.PreTurn), CancellationToken.None).AsTask());

        // The exception comes after the kill, so both files were written long before.
        var shellPid = int.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "sh.pid")), System.Globalization.CultureInfo.InvariantCulture);
        var sleepPid = int.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "sleep.pid")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(shellPid, error.ProcessId);
        Assert.Contains($"pid {shellPid}", error.Message, StringComparison.Ordinal);
        Assert.Contains("'slow'", error.Message, StringComparison.Ordinal);
        Assert.Contains("500 ms", error.Message, StringComparison.Ordinal);
        Assert.False(ProcessProbe.IsRunning(shellPid), $"shell {shellPid} still runs");
        Assert.False(ProcessProbe.IsRunning(sleepPid), $"sleep {sleepPid} still runs");
    }

    [Fact]
    public async Task A_cancelled_call_kills_the_process_and_throws_cancellation()
    {
        using var cancel = new CancellationTokenSource();
        var hook = new ShellCommandHook("cancelled", "echo $$ > sh.pid; exec sleep 30", TimeSpan.FromSeconds(30));
        var call = hook.InterceptAsync(Context(CodexRunPhase.PreTurn), cancel.Token).AsTask();
        await WaitForFileAsync("sh.pid");

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "sh.pid")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(ProcessProbe.IsRunning(pid));
    }

    [Fact]
    public void The_default_timeout_is_5_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), new ShellCommandHook("x", "true").Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), ShellCommandHook.DefaultTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShellCommandHook("x", "true", TimeSpan.Zero));
    }

    private CodexRunContext Context(CodexRunPhase phase) => TestHooks.Context(phase, _dir);

    private ValueTask<CodexInterceptorDecision> PreAsync(string command) =>
        new ShellCommandHook("shell", command).InterceptAsync(Context(CodexRunPhase.PreTurn), CancellationToken.None);

    // Waits for the script to write a file, awaiting the file system's change notification rather than sleeping.
    private async Task WaitForFileAsync(string name)
    {
        var path = Path.Combine(_dir, name);
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(_dir);
        watcher.Changed += (_, e) => Signal(e);
        watcher.Created += (_, e) => Signal(e);
        watcher.EnableRaisingEvents = true;
        if (HasContent(path))
        {
            return;
        }

        await created.Task.WaitAsync(TimeSpan.FromSeconds(10));

        void Signal(FileSystemEventArgs e)
        {
            if (e.Name == name && HasContent(path))
            {
                created.TrySetResult();
            }
        }
    }

    private static bool HasContent(string path) => File.Exists(path) && new FileInfo(path).Length > 0;
}
