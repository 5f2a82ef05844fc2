using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using CodexRuntime.Diagnostics;
using CodexRuntime.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// The root namespace: starting codex fails with CodexConnectException, a root exception, and Transport (below the
// root) names none; the file stays in Transport/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>
/// Runs <c>codex app-server</c> as a child process and talks to it over its stdin/stdout. stderr is drained
/// continuously into the logger (a full stderr pipe would stall the server) and its last lines are kept for error
/// messages. Disposing closes stdin, waits for a clean exit, then kills the whole process tree: no process is left
/// behind.
/// </summary>
public sealed class CodexProcessTransport : ICodexTransport
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>How long to wait for a killed process (and its stderr pipe) to be gone before giving up and logging it.</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly CodexProcessOptions _options;
    private readonly ILogger _logger;
    private readonly StderrTail _stderr;
    private readonly Task _stderrPump;
    private readonly Task _exitWatch;
    private readonly TaskCompletionSource<CodexTransportExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    /// <summary>True when codex serves a socket (<c>--listen</c>): it does not read stdin, so dispose does not wait for it to notice stdin closing.</summary>
    private readonly bool _listening;

    private CodexProcessTransport(Process process, CodexBinary binary, CodexProcessOptions options, ILogger logger, bool listening = false)
    {
        _listening = listening;
        _process = process;
        _options = options;
        _logger = logger;
        Binary = binary;
        _stderr = new StderrTail(options.StderrTailLines);
        ProcessId = process.Id;
        StartedAt = ReadStartTime(process);
        _stderrPump = Task.Run(PumpStderrAsync);
        _exitWatch = WatchExitAsync();
    }

    /// <summary>The executable that was started.</summary>
    public CodexBinary Binary { get; }

    /// <summary>The operating-system id of the codex process.</summary>
    public int ProcessId { get; }

    /// <summary>When the process started (local time, as <see cref="Process.StartTime"/> reports it).</summary>
    public DateTime StartedAt { get; }

    /// <inheritdoc />
    public Stream Input => _process.StandardInput.BaseStream;

    /// <inheritdoc />
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <inheritdoc />
    public Task<CodexTransportExit> Exited => _exited.Task;

    /// <inheritdoc />
    public string StderrTail => _stderr.ToString();

    /// <summary>Locates codex (see <see cref="CodexBinaryLocator"/>) and starts <c>codex app-server</c>.</summary>
    /// <param name="options">Executable, arguments, environment, working directory and CODEX_HOME.</param>
    /// <param name="loggerFactory">Receives codex's stderr lines and lifecycle events; optional.</param>
    /// <returns>The running transport.</returns>
    /// <exception cref="CodexBinaryNotFoundException">codex could not be located.</exception>
    /// <exception cref="CodexConnectException">The process could not be started.</exception>
    public static CodexProcessTransport Start(CodexProcessOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return StartBinary(CodexBinaryLocator.Locate(options.ExecutablePath), options, loggerFactory, listenArguments: null);
    }

    /// <summary>Starts <paramref name="binary"/> as <c>app-server</c>; with <paramref name="listenArguments"/> it serves a socket instead of stdio.</summary>
    internal static CodexProcessTransport StartBinary(CodexBinary binary, CodexProcessOptions options, ILoggerFactory? loggerFactory, IReadOnlyList<string>? listenArguments)
    {
        var logger = (ILogger?)loggerFactory?.CreateLogger("CodexRuntime.Transport.CodexProcess") ?? NullLogger.Instance;

        var startInfo = new ProcessStartInfo(binary.ExecutablePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8NoBom,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = options.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        startInfo.ArgumentList.Add("app-server");
        foreach (var argument in listenArguments ?? [])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var argument in options.ExtraArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in options.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        if (options.CodexHome is { } home)
        {
            startInfo.Environment["CODEX_HOME"] = Path.GetFullPath(home);
        }

        if (binary.HelperDirectories.Count > 0)
        {
            // Same as the npm launcher: helper tools shipped with codex (ripgrep) go first on PATH.
            startInfo.Environment.TryGetValue("PATH", out var path);
            startInfo.Environment["PATH"] = string.Join(Path.PathSeparator, binary.HelperDirectories.Append(path ?? string.Empty));
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        try
        {
            if (!process.Start())
            {
                throw new CodexConnectException($"codex at '{binary.ExecutablePath}' did not start.");
            }
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new CodexConnectException(
                $"codex at '{binary.ExecutablePath}' could not be started: {ex.Message}. Check that the file is the native codex executable and is executable by this user.",
                ex);
        }

        ChildProcessRegistry.Add(process);
        Log.ProcessStarted(logger, process.Id, binary.ExecutablePath);
        return new CodexProcessTransport(process, binary, options, logger, listenArguments is not null);
    }

    /// <summary>
    /// Closes stdin and waits up to <see cref="CodexProcessOptions.ShutdownTimeout"/> for codex to exit; then sends
    /// SIGTERM (not on Windows) and waits up to <see cref="CodexProcessOptions.TerminateTimeout"/>; then kills the whole
    /// process tree. Processes that codex started and that outlived it are killed too.
    /// </summary>
    /// <returns>A task that completes when the process and its stderr pump are gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await Exited.ConfigureAwait(false);
            return;
        }

        var snapshotAt = DateTime.Now;
        var descendants = ProcessTree.GetDescendants(ProcessId);
        try
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The pipe is already broken: the process is exiting or gone.
            }

            // In order: stdin closed (above) -> wait -> SIGTERM -> wait -> kill the tree -> wait.
            // A listener does not read stdin: waiting for it to notice would only delay the SIGTERM it needs.
            if (!await WaitForExitAsync(_listening ? TimeSpan.Zero : _options.ShutdownTimeout).ConfigureAwait(false))
            {
                var exited = false;
                if (Terminate())
                {
                    Log.ProcessTerminated(_logger, ProcessId, _options.ShutdownTimeout.TotalSeconds);
                    exited = await WaitForExitAsync(_options.TerminateTimeout).ConfigureAwait(false);
                }

                if (!exited)
                {
                    Log.ProcessKilledAfterTimeout(_logger, ProcessId, (_options.ShutdownTimeout + _options.TerminateTimeout).TotalSeconds);
                    KillTree();
                    if (!await WaitForExitAsync(KillWait).ConfigureAwait(false))
                    {
                        Log.ProcessDidNotDie(_logger, ProcessId, KillWait.TotalSeconds);
                    }
                }
            }
        }
        finally
        {
            // Anything codex started that survived it (it should reap its own children; this is the backstop).
            ProcessTree.KillSurvivors(descendants, snapshotAt);
            ChildProcessRegistry.Remove(_process);
            // A detached grandchild could hold stderr open forever: the pump gets a deadline too.
            await Task.WhenAny(_stderrPump, Task.Delay(KillWait)).ConfigureAwait(false);
            // Let the exit watcher read the exit code before the process object is disposed under it.
            await Task.WhenAny(_exitWatch, Task.Delay(KillWait)).ConfigureAwait(false);
            _exited.TrySetResult(new CodexTransportExit(SafeExitCode(), "codex exited"));
            _process.Dispose();
        }
    }

    /// <summary>Waits for the process to exit; false when it is still running after <paramref name="timeout"/>.</summary>
    private async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Asks the process to stop with SIGTERM (Unix only); false when that could not be sent.</summary>
    private bool Terminate()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                UseShellExecute = false,
                RedirectStandardError = true,
            });
            return kill is not null && kill.WaitForExit(TimeSpan.FromSeconds(2)) && kill.ExitCode == 0;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            return false; // No kill command: the tree kill that follows still ends the process.
        }
    }

    /// <summary>Kills the process tree immediately (crash simulation and last-resort cleanup).</summary>
    public void Kill() => KillTree();

    private void KillTree()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Exited between the check and the kill.
        }
    }

    private static DateTime ReadStartTime(Process process)
    {
        try
        {
            return process.StartTime;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // Exited (and reaped: /proc has no entry) before we could ask, as a wrong executable such as /bin/false
            // does within microseconds; "now" is a safe upper bound for the orphan check.
            return DateTime.Now;
        }
    }

    private int? SafeExitCode()
    {
        try
        {
            return _process.HasExited ? _process.ExitCode : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private async Task WatchExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            var code = SafeExitCode();
            Log.ProcessExited(_logger, ProcessId, code);
            // Let the last stderr lines land in the tail before anyone builds an error message from it.
            await Task.WhenAny(_stderrPump, Task.Delay(TimeSpan.FromMilliseconds(300))).ConfigureAwait(false);
            _exited.TrySetResult(new CodexTransportExit(code, "codex exited"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            _exited.TrySetResult(new CodexTransportExit(null, "codex process state could not be read"));
        }
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            var reader = _process.StandardError;
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                _stderr.Add(line);
                Log.StderrLine(_logger, ProcessId, line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe closed under us during teardown; nothing more to read.
        }
    }
}
