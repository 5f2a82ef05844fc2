using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Web.Tests.Support;

/// <summary>
/// The built WebChat sample run as <c>dotnet WebChat.dll --replicas 3 --urls http://127.0.0.1:0</c> in an empty folder:
/// the parent process (Redis, three replicas, the proxy). It reads what the parent prints: the proxy's URL, each
/// replica's pid and URL, each replica's workspace, and the lines saying a replica exited. Disposing kills the whole
/// process tree if it still runs and reaps it.
/// </summary>
internal sealed partial class WebChatCluster : IAsyncDisposable
{
    /// <summary>Redis, three codex processes and three silos joining a cluster, on a busy machine.</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(180);

    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _proxy = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<int, Replica> _replicas = [];
    private readonly Dictionary<int, string> _workspaces = [];
    private readonly Dictionary<int, TaskCompletionSource> _exited = [];
    private readonly List<string> _deaths = [];
    private readonly List<(int Count, TaskCompletionSource Seen)> _deathWaiters = [];

    private WebChatCluster(Process process, DirectoryInfo folder)
    {
        _process = process;
        _folder = folder;
    }

    /// <summary>One replica as the parent printed it.</summary>
    public sealed record Replica(int Index, int Pid, Uri Url, string Workspace);

    /// <summary>The proxy's URL: where a person opens the page.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The parent's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>The replicas, by index from 1.</summary>
    public IReadOnlyList<Replica> Replicas
    {
        get
        {
            lock (_output)
            {
                return [.. _replicas.Values.OrderBy(r => r.Index)];
            }
        }
    }

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

    /// <summary>Starts the cluster; fails, naming the fix, when redis-server is not on PATH (the replicas would fall back).</summary>
    public static async Task<WebChatCluster> StartAsync(string version, params string[] arguments)
    {
        Assert.True(RedisServerOnPath(), "redis-server is not on PATH: the replicas tests need it (sudo apt-get install redis-server; build/test.sh installs it).");
        var folder = Directory.CreateTempSubdirectory("codex-webchat-cluster-");
        var start = await WebChatProcess.StartInfoAsync(version, folder, ["--replicas", "3", "--urls", "http://127.0.0.1:0", .. arguments]);
        start.RedirectStandardInput = true; // held open, as a terminal would be
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var cluster = new WebChatCluster(process, folder);
        process.OutputDataReceived += (_, e) => cluster.Read(e.Data);
        process.ErrorDataReceived += (_, e) => cluster.Read(e.Data);
        process.Exited += (_, _) => cluster._proxy.TrySetException(new InvalidOperationException("WebChat --replicas exited before it printed its URL."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            cluster.Url = await cluster._proxy.Task.WaitAsync(StartDeadline);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            var output = cluster.Output;
            await cluster.DisposeAsync();
            Assert.Fail($"WebChat --replicas 3 did not print its URL within {StartDeadline.TotalSeconds} s: {ex.Message}\n{output}");
        }

        return cluster;
    }

    /// <summary>Completes once the replicas printed <paramref name="count"/> "declared dead" lines in all (each survivor prints one per dead silo).</summary>
    public Task DeathsSeen(int count)
    {
        lock (_output)
        {
            if (_deaths.Count >= count)
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _deathWaiters.Add((count, seen));
            return seen.Task;
        }
    }

    /// <summary>Completes when the parent prints that this replica exited (and took it out of the proxy).</summary>
    public Task ReplicaExited(int index)
    {
        lock (_output)
        {
            return Exited(index).Task;
        }
    }

    /// <summary>How many requests for <paramref name="path"/> each replica logged (ASP.NET Core's "Request starting").</summary>
    public IReadOnlyDictionary<int, int> RequestsServed(string path)
    {
        var counts = Enumerable.Range(1, 3).ToDictionary(i => i, _ => 0);
        foreach (var index in Requests(path))
        {
            counts[index]++;
        }

        return counts;
    }

    /// <summary>The replica that logged the last request for <paramref name="path"/>; null when none did.</summary>
    public int? LastServedBy(string path) => Requests(path).Select(index => (int?)index).LastOrDefault();

    private IEnumerable<int> Requests(string path) =>
        RequestLine().Matches(Output)
            .Where(match => match.Groups[2].Value.Contains(path, StringComparison.Ordinal))
            .Select(Index);

    /// <summary>SIGTERM to the parent (what a terminal's Ctrl+C or a service stop asks), then waits for its exit.</summary>
    /// <returns>Its exit code.</returns>
    public async Task<int> TerminateAsync(TimeSpan deadline)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))!)
        {
            await kill.WaitForExitAsync().WaitAsync(deadline);
            Assert.Equal(0, kill.ExitCode);
        }

        await _process.WaitForExitAsync().WaitAsync(deadline);
        return _process.ExitCode;
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

    private static bool RedisServerOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, "redis-server")));

    private TaskCompletionSource Exited(int index) =>
        _exited.TryGetValue(index, out var exited) ? exited : _exited[index] = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (WorkspaceLine().Match(line) is { Success: true } workspace)
            {
                _workspaces[Index(workspace)] = workspace.Groups[2].Value.Trim();
            }
            else if (ReplicaLine().Match(line) is { Success: true } replica)
            {
                var index = Index(replica);
                _replicas[index] = new Replica(index, int.Parse(replica.Groups[2].Value, CultureInfo.InvariantCulture), new Uri(replica.Groups[3].Value), _workspaces.GetValueOrDefault(index, string.Empty));
            }
            else if (ExitedLine().Match(line) is { Success: true } exited)
            {
                Exited(Index(exited)).TrySetResult();
            }
            else if (DeadLine().IsMatch(line))
            {
                _deaths.Add(line);
                foreach (var waiter in _deathWaiters.Where(w => _deaths.Count >= w.Count).ToList())
                {
                    _deathWaiters.Remove(waiter);
                    waiter.Seen.TrySetResult();
                }
            }
            else if (OpenLine().Match(line) is { Success: true } open)
            {
                _proxy.TrySetResult(new Uri(open.Groups[1].Value));
            }
        }
    }

    private static int Index(Match match) => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\[replica (\d)\] workspace:\s+(\S.*)$")]
    private static partial Regex WorkspaceLine();

    [GeneratedRegex(@"^replica (\d): pid (\d+) (http://127\.0\.0\.1:\d+/)$")]
    private static partial Regex ReplicaLine();

    [GeneratedRegex(@"^replica (\d) \(pid \d+\) exited")]
    private static partial Regex ExitedLine();

    [GeneratedRegex(@"^\[replica \d\] cluster: the silo at \S+ was declared dead")]
    private static partial Regex DeadLine();

    [GeneratedRegex(@"^open:\s+(http://127\.0\.0\.1:\d+)/$")]
    private static partial Regex OpenLine();

    [GeneratedRegex(@"^\[replica (\d)\]\s+Request starting HTTP/\S+ \S+ (\S+)", RegexOptions.Multiline)]
    private static partial Regex RequestLine();
}
