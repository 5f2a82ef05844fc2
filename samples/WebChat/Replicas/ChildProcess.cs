using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CodexRuntime.Orleans;

namespace WebChat.Replicas;

/// <summary>
/// A process the replicas mode starts (redis-server, a replica): started with its output read line by line, ready
/// when a line matches (within a deadline), and stopped with SIGTERM, then, if it has not exited within
/// <see cref="StopGrace"/>, killed with its process tree; it is always reaped.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>
    /// How long a stopping child has after SIGTERM before its tree is killed: a replica's silo lets a running turn
    /// finish for up to <see cref="CodexOrleansOptions.DrainTimeout"/>, then leaves the cluster.
    /// </summary>
    public static readonly TimeSpan StopGrace = new CodexOrleansOptions().DrainTimeout + TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly Regex _ready;
    private readonly TaskCompletionSource<Match> _readyLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _prefix;
    private readonly bool _echo;

    private ChildProcess(Process process, string name, Regex ready, bool echo)
    {
        _process = process;
        Name = name;
        _ready = ready;
        _echo = echo;
        _prefix = $"[{name}] ";
    }

    /// <summary>Its name in the console (<c>redis</c>, <c>replica 2</c>).</summary>
    public string Name { get; }

    /// <summary>Its process id.</summary>
    public int Id => _process.Id;

    /// <summary>Completes when the process has exited (killed, crashed or stopped), whoever ended it.</summary>
    public Task Exited => _exited.Task;

    /// <summary>Starts the process; its stdin is a pipe that stays open while this parent lives.</summary>
    /// <param name="start">What to run (its redirections are set here).</param>
    /// <param name="name">Its name in the console.</param>
    /// <param name="ready">The line that says it is ready.</param>
    /// <param name="echo">Copy its output to this console, each line prefixed with its name.</param>
    /// <returns>The running child.</returns>
    public static ChildProcess Start(ProcessStartInfo start, string name, Regex ready, bool echo)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.UseShellExecute = false;
        start.RedirectStandardInput = true; // a replica stops when it reads the end of it: this parent is gone
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, name, ready, echo);
        process.OutputDataReceived += (_, e) => child.Read(e.Data);
        process.ErrorDataReceived += (_, e) => child.Read(e.Data);
        process.Exited += (_, _) => child._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the ready line.</summary>
    /// <param name="deadline">How long it may take.</param>
    /// <returns>The ready line's match.</returns>
    /// <exception cref="InvalidOperationException">It exited first.</exception>
    /// <exception cref="TimeoutException">The deadline passed.</exception>
    public async Task<Match> WaitReadyAsync(TimeSpan deadline)
    {
        var first = await Task.WhenAny(_readyLine.Task, _exited.Task).WaitAsync(deadline).ConfigureAwait(false);
        return first == _readyLine.Task
            ? await _readyLine.Task.ConfigureAwait(false)
            : throw new InvalidOperationException($"{Name} exited before it was ready.");
    }

    /// <summary>Stops it: SIGTERM, then the tree killed after <see cref="StopGrace"/>; returns once it is reaped.</summary>
    /// <returns>A task that completes when the process is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!_exited.Task.IsCompleted && Terminate())
        {
            await Task.WhenAny(_exited.Task, Task.Delay(StopGrace)).ConfigureAwait(false);
        }

        if (!_exited.Task.IsCompleted)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited in between.
            }
        }

        await _process.WaitForExitAsync().ConfigureAwait(false); // reaped, and its output read to the end
        _process.Dispose();
    }

    /// <summary>SIGTERM (what Ctrl+C and a container stop send), so a replica's silo leaves the cluster and its codex stops.</summary>
    private bool Terminate()
    {
        if (OperatingSystem.IsWindows())
        {
            return false; // no SIGTERM there: the tree kill follows
        }

        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            return kill is not null && kill.WaitForExit(TimeSpan.FromSeconds(5)) && kill.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false; // no kill command: the tree kill follows
        }
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (_echo)
        {
            Console.WriteLine(_prefix + line);
        }

        if (!_readyLine.Task.IsCompleted && _ready.Match(line) is { Success: true } match)
        {
            _readyLine.TrySetResult(match);
        }
    }
}
