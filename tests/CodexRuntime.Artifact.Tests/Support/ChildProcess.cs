using System.Diagnostics;
using System.Reflection;
using System.Threading.Channels;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Artifact.Tests.Support;

/// <summary>
/// A program this project built (the store worker, the sample), run with <c>dotnet</c>: its stdout lines can be
/// awaited one by one, every wait has a deadline, and disposing kills the process tree if it still runs and reaps it.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _all = [];
    private readonly System.Text.StringBuilder _errors = new();

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
                return;
            }

            lock (_all)
            {
                _all.Add(e.Data);
            }

            _lines.Writer.TryWrite(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>The path of a built project's dll (same configuration as this test assembly).</summary>
    public static string BuiltDll(string folder, string name)
    {
        var configuration = typeof(ChildProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepositoryLayout.Root, folder, name, "bin", configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build this test project first (it builds {name}).");
        return dll;
    }

    public static ChildProcess Start(string dll, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"{dll} did not start."));
    }

    /// <summary>The next stdout line; fails at the deadline or when the output ended.</summary>
    public async Task<string> ReadLineAsync()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            if (await _lines.Reader.WaitToReadAsync(deadline.Token) && _lines.Reader.TryRead(out var line))
            {
                return line;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No output line within {Deadline.TotalSeconds} s.\n--- stderr ---\n{Errors}");
        }

        Assert.Fail($"The process ended its output.\n--- stderr ---\n{Errors}");
        return string.Empty;
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the exit (deadline) and returns the exit code and every stdout line.</summary>
    public async Task<(int ExitCode, IReadOnlyList<string> Output)> WaitForExitAsync()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The process did not exit within {Deadline.TotalSeconds} s.\n--- stderr ---\n{Errors}");
        }

        lock (_all)
        {
            return (_process.ExitCode, _all.ToArray());
        }
    }

    /// <summary>SIGKILL (on Unix): the process ends at once, without running any of its own code; then it is reaped.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var deadline = new CancellationTokenSource(Deadline);
        await _process.WaitForExitAsync(deadline.Token);
        _process.Dispose();
    }
}
