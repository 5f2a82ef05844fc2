using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Tests.Shared;

/// <summary>
/// The built WebChat sample run as a user runs it (<c>dotnet WebChat.dll --urls http://127.0.0.1:0</c> in an empty
/// folder, codex from <c>CODEX_CLI_PATH</c>), until disposed: then its process tree is killed and reaped. Shared by
/// the browser tests and the sample's real-HTTP tests (a test project that uses it references the WebChat project, so
/// the sample is built beside it).
/// </summary>
internal sealed partial class WebChatProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<(Uri Url, string Workspace)> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _workspace;

    private WebChatProcess(Process process, DirectoryInfo folder)
    {
        _process = process;
        _folder = folder;
    }

    public Uri Url { get; private set; } = null!;

    public string Workspace { get; private set; } = null!;

    /// <summary>What it printed so far (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<WebChatProcess> StartAsync(string version, params string[] arguments)
    {
        var run = await CreateAsync(version, ["--urls", "http://127.0.0.1:0", .. arguments]);
        try
        {
            (run.Url, run.Workspace) = await run._ready.Task.WaitAsync(StartDeadline);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            var output = run.Output;
            await run.DisposeAsync();
            Assert.Fail($"WebChat did not print its URL within {StartDeadline.TotalSeconds} s: {ex.Message}\n{output}");
        }

        return run;
    }

    /// <summary>Runs the sample with exactly these arguments until it exits by itself (a refusal to start), within the start deadline.</summary>
    /// <returns>Its exit code and everything it printed.</returns>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string version, params string[] arguments)
    {
        await using var run = await CreateAsync(version, arguments);
        try
        {
            await run._process.WaitForExitAsync().WaitAsync(StartDeadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"WebChat {string.Join(' ', arguments)} was still running after {StartDeadline.TotalSeconds} s: it should have refused to start.\n{run.Output}");
        }

        // WaitForExitAsync returns once the redirected output reached its end, so Output is complete here.
        return (run._process.ExitCode, run.Output);
    }

    /// <summary>How to run the built sample (<c>dotnet WebChat.dll ...</c>) in <paramref name="folder"/>, codex from <c>CODEX_CLI_PATH</c>, its output redirected.</summary>
    internal static async Task<ProcessStartInfo> StartInfoAsync(string version, DirectoryInfo folder, IEnumerable<string> arguments)
    {
        var binary = await CodexVersions.BinaryAsync(version);
        var configuration = typeof(WebChatProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepositoryLayout.Root, "samples", "WebChat", "bin", configuration, "net10.0", "WebChat.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build a test project that references the sample first.");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = folder.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CODEX_CLI_PATH"] = binary;
        return start;
    }

    private static async Task<WebChatProcess> CreateAsync(string version, IEnumerable<string> arguments)
    {
        var folder = Directory.CreateTempSubdirectory("codex-webchat-run-");
        var start = await StartInfoAsync(version, folder, arguments);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var run = new WebChatProcess(process, folder);
        process.OutputDataReceived += (_, e) => run.Read(e.Data);
        process.ErrorDataReceived += (_, e) => run.Read(e.Data);
        process.Exited += (_, _) => run._ready.TrySetException(new InvalidOperationException("WebChat exited before it was ready."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
        _folder.Delete(recursive: true);
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (WorkspaceLine().Match(line) is { Success: true } workspace)
        {
            _workspace = workspace.Groups[1].Value.Trim();
        }
        else if (OpenLine().Match(line) is { Success: true } open && _workspace is not null)
        {
            _ready.TrySetResult((new Uri(open.Groups[1].Value), _workspace));
        }
    }

    [GeneratedRegex(@"^workspace:\s+(\S.*)$")]
    private static partial Regex WorkspaceLine();

    [GeneratedRegex(@"^open:\s+(http://127\.0\.0\.1:\d+)/$")]
    private static partial Regex OpenLine();
}
