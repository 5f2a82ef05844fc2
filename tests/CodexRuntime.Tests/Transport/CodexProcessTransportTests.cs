using System.Text;
using CodexRuntime.Rpc;
using CodexRuntime.Transport;

namespace CodexRuntime.Tests.Transport;

/// <summary>
/// Process lifecycle against stand-in executables (shell scripts), so the edge cases a healthy codex never shows can
/// be forced: ignoring stdin close, spawning children, crashing with stderr output. The real binary is exercised in
/// CodexRuntime.IntegrationTests.
/// </summary>
public sealed class CodexProcessTransportTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("transport-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Dispose_kills_a_process_that_ignores_stdin_close_and_its_children()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Stand-ins are bash scripts; Windows runs the same logic through Process.Kill(entireProcessTree).
        }

        var pidFile = Path.Combine(_root.FullName, "child.pid");
        var script = Script("stubborn", $"""
            trap '' TERM
            sleep 300 &
            echo $! > '{pidFile}'
            while true; do sleep 1; done
            """);
        var transport = CodexProcessTransport.Start(new CodexProcessOptions { ExecutablePath = script, ShutdownTimeout = TimeSpan.FromMilliseconds(200) });
        var child = await WaitForPidAsync(pidFile);

        await transport.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.False(IsAlive(transport.ProcessId), "the stand-in codex is still running");
        Assert.False(IsAlive(child), "the child it started is still running");
        Assert.True(transport.Exited.IsCompleted);
    }

    [Fact]
    public async Task Dispose_sends_sigterm_before_killing_so_a_process_can_exit_cleanly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var marker = Path.Combine(_root.FullName, "terminated");
        var ready = Path.Combine(_root.FullName, "ready");
        var script = Script("polite", $"""
            trap 'echo bye > "{marker}"; exit 0' TERM
            touch "{ready}"
            while true; do sleep 0.1; done
            """);
        var transport = CodexProcessTransport.Start(new CodexProcessOptions
        {
            ExecutablePath = script,
            ShutdownTimeout = TimeSpan.FromMilliseconds(200),
            TerminateTimeout = TimeSpan.FromSeconds(10),
        });
        await WaitForPidFileAsync(ready);

        await transport.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(File.Exists(marker), "the process never saw SIGTERM");
        Assert.Equal(0, (await transport.Exited).ExitCode);
        Assert.False(IsAlive(transport.ProcessId));
    }

    [Fact]
    public async Task Process_that_exits_during_the_handshake_fails_with_its_exit_code_and_stderr_tail()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var script = Script("crasher", """
            read -r line
            echo "fatal: config.toml is broken" >&2
            exit 3
            """);
        var error = await Assert.ThrowsAsync<CodexConnectException>(
            () => CodexConnection.StartAsync(new CodexProcessOptions { ExecutablePath = script }).WaitAsync(TimeSpan.FromSeconds(15)));
        var closed = Assert.IsType<CodexTransportClosedException>(error.InnerException);
        Assert.Equal(3, closed.ExitCode);
        Assert.Contains("config.toml is broken", closed.StderrTail, StringComparison.Ordinal);
        Assert.Contains("config.toml is broken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arguments_environment_working_directory_and_codex_home_reach_the_process()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var output = Path.Combine(_root.FullName, "seen.txt");
        var script = Script("echoer", $$"""
            printf '%s|%s|%s|%s|%s\n' "$*" "$CODEX_HOME" "$PWD" "$EXTRA_VAR" "${REMOVED_VAR:-unset}" > '{{output}}'
            """);
        var workDir = Directory.CreateDirectory(Path.Combine(_root.FullName, "work")).FullName;
        var options = new CodexProcessOptions { ExecutablePath = script, WorkingDirectory = workDir, CodexHome = Path.Combine(_root.FullName, "home") };
        options.ExtraArguments.Add("-c");
        options.ExtraArguments.Add("model=\"x y\"");
        options.Environment["EXTRA_VAR"] = "é-ok";
        options.Environment["REMOVED_VAR"] = null;

        Environment.SetEnvironmentVariable("REMOVED_VAR", "present");
        try
        {
            await using var transport = CodexProcessTransport.Start(options);
            await transport.Exited.WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            Environment.SetEnvironmentVariable("REMOVED_VAR", null);
        }

        Assert.Equal($"app-server -c model=\"x y\"|{Path.Combine(_root.FullName, "home")}|{workDir}|é-ok|unset", File.ReadAllText(output, Encoding.UTF8).TrimEnd());
    }

    private string Script(string name, string body)
    {
        var path = Path.Combine(_root.FullName, name);
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static async Task WaitForPidFileAsync(string file)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!File.Exists(file))
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    private static async Task<int> WaitForPidAsync(string pidFile)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            {
                return pid;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    private static bool IsAlive(int pid) => CodexRuntime.Testing.ProcessProbe.IsRunning(pid);
}
