using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Orleans.Tests.Support;

/// <summary>
/// One web replica as its own process (tests/CodexRuntime.Orleans.Replica: <c>dotnet CodexRuntime.Orleans.Replica.dll
/// ...</c>), a silo of a cluster on a <see cref="RedisServer"/>, with its own CODEX_HOME against the test's
/// FakeModelServer (the test sees every model request) and its own workspace. <see cref="KillAsync"/> is a crash
/// (SIGKILL of the whole tree), <see cref="StopAsync"/> a graceful stop (SIGTERM); disposing kills what is left and
/// reaps it.
/// </summary>
internal sealed partial class ReplicaProcess : IAsyncDisposable
{
    /// <summary>How long starting, stopping or a kill may take.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly TemporaryCodexHome _home;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<int, TaskCompletionSource> _deaths = [];

    private ReplicaProcess(Process process, TemporaryCodexHome home, DirectoryInfo workspace, int siloPort)
    {
        _process = process;
        _home = home;
        Workspace = workspace;
        SiloPort = siloPort;
    }

    /// <summary>Its silo's port (a silo's address in the cluster).</summary>
    public int SiloPort { get; }

    /// <summary>Its HTTP base address (<c>http://127.0.0.1:port</c>).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Its process id (the dotnet host).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Its codex's working folder.</summary>
    public DirectoryInfo Workspace { get; }

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

    /// <summary>Starts a replica in <paramref name="clusterId"/> and waits until its app and silo are started (once more on new ports when a port was taken).</summary>
    /// <param name="redis">The cluster's membership and session records.</param>
    /// <param name="clusterId">The cluster to join.</param>
    /// <param name="model">The model every codex of the test calls.</param>
    /// <param name="drainTimeout">How long a stopping replica lets running turns finish.</param>
    /// <param name="version">The codex version; the newest when null.</param>
    public static Task<ReplicaProcess> StartAsync(RedisServer redis, string clusterId, FakeModelServer model, TimeSpan? drainTimeout = null, string? version = null) =>
        LoopbackPorts.RetryOnceAsync(() => StartOnceAsync(redis, clusterId, model, drainTimeout ?? TimeSpan.FromSeconds(30), version ?? CodexVersions.Newest));

    /// <summary>Starts <paramref name="count"/> replicas of <paramref name="clusterId"/> at once (see <see cref="StartAsync"/>); when one fails, the others are disposed.</summary>
    public static async Task<ReplicaProcess[]> StartAllAsync(int count, RedisServer redis, string clusterId, FakeModelServer model, TimeSpan? drainTimeout = null, string? version = null)
    {
        var starting = Enumerable.Range(0, count).Select(_ => StartAsync(redis, clusterId, model, drainTimeout, version)).ToArray();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await (await started).DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>A client for <paramref name="tenant"/>'s requests (the <c>X-Tenant</c> header).</summary>
    public HttpClient For(string tenant)
    {
        var http = new HttpClient { BaseAddress = Url, Timeout = Deadline };
        http.DefaultRequestHeaders.Add("X-Tenant", tenant);
        return http;
    }

    /// <summary>
    /// Waits until this replica's silo has learnt that <paramref name="other"/>'s silo was declared dead (until then,
    /// calls whose grain or grain directory entry was on that silo fail); fails the test after <see cref="Deadline"/>.
    /// </summary>
    public async Task SeesDeadAsync(ReplicaProcess other)
    {
        try
        {
            await Death(other.SiloPort).Task.WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Replica {_process.Id} did not see the silo on port {other.SiloPort} declared dead within {Deadline.TotalSeconds} s.\n{Output}");
        }
    }

    /// <summary>
    /// SIGKILL of the replica and every process it started (its codex among them), as a crash or an OOM kill ends
    /// it: no shutdown runs. Returns once all of them are gone; fails the test when one is left.
    /// </summary>
    /// <returns>The ids of the processes killed, the replica's first.</returns>
    public async Task<IReadOnlyList<int>> KillAsync()
    {
        IReadOnlyList<int> tree = [_process.Id, .. ProcessProbe.GetDescendants(_process.Id)];
        _process.Kill(entireProcessTree: true);
        await WaitForExitAsync("killed");
        var left = await WaitGoneAsync(tree);
        Assert.True(left.Count == 0, $"Processes of the killed replica {_process.Id} still run: {string.Join(", ", left)}.");
        return tree;
    }

    /// <summary>
    /// SIGTERM, as an orchestrator stops a replica: the host shuts down gracefully (the silo leaves the cluster, its
    /// sessions drain). Returns its exit code once it and every process it started are gone; fails the test when
    /// that takes longer than <see cref="Deadline"/>.
    /// </summary>
    public async Task<int> StopAsync()
    {
        IReadOnlyList<int> tree = [_process.Id, .. ProcessProbe.GetDescendants(_process.Id)];
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))!)
        {
            await kill.WaitForExitAsync();
        }

        await WaitForExitAsync("stopped");
        var left = await WaitGoneAsync(tree);
        Assert.True(left.Count == 0, $"Processes of the stopped replica {_process.Id} still run: {string.Join(", ", left)}.\n{Output}");
        return _process.ExitCode;
    }

    /// <summary>Kills what is still running (the whole tree), reaps it and deletes the replica's CODEX_HOME and workspace.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await KillAsync();
            }
            else
            {
                await WaitForExitAsync("exited"); // reaps it and reads its output to the end
            }
        }
        finally
        {
            _process.Dispose();
            _home.Dispose();
            try
            {
                Workspace.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS temp cleaner.
            }
        }
    }

    private static async Task<ReplicaProcess> StartOnceAsync(RedisServer redis, string clusterId, FakeModelServer model, TimeSpan drainTimeout, string version)
    {
        var binary = await CodexVersions.BinaryAsync(version);
        var configuration = typeof(ReplicaProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepositoryLayout.Root, "tests", "CodexRuntime.Orleans.Replica", "bin", configuration, "net10.0", "CodexRuntime.Orleans.Replica.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build this test project (it builds the replica) first.");

        var home = TemporaryCodexHome.Create(model, "on-request", codexVersion: version);
        var workspace = Directory.CreateTempSubdirectory("codex-replica-");
        var ports = LoopbackPorts.Pick(2);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workspace.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] arguments =
        [
            dll, redis.Endpoint, clusterId, Invariant(ports[0]), Invariant(ports[1]), "0",
            home.Path, binary, workspace.FullName, drainTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var replica = new ReplicaProcess(process, home, workspace, ports[0]);
        process.OutputDataReceived += (_, e) => replica.Read(e.Data);
        process.ErrorDataReceived += (_, e) => replica.Read(e.Data);
        process.Exited += (_, _) => replica._ready.TrySetException(new InvalidOperationException("The replica exited before it was ready."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            replica.Url = await replica._ready.Task.WaitAsync(Deadline);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await replica.DisposeAsync(); // reaped: its output is complete
            // The message carries the output: "address already in use" in it makes the start retried on new ports.
            throw new InvalidOperationException($"The replica (silo port {ports[0]}, gateway port {ports[1]}) was not ready within {Deadline.TotalSeconds} s: {ex.Message}\n{replica.Output}", ex);
        }

        return replica;
    }

    private async Task WaitForExitAsync(string how)
    {
        try
        {
            // Returns once the redirected output reached its end too, so Output is complete.
            await _process.WaitForExitAsync().WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The {how} replica {_process.Id} did not exit within {Deadline.TotalSeconds} s.\n{Output}");
        }
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

        if (ReadyLine().Match(line) is { Success: true } ready && int.Parse(ready.Groups[2].Value, CultureInfo.InvariantCulture) == _process.Id)
        {
            _ready.TrySetResult(new Uri(ready.Groups[1].Value));
        }
        else if (DeadLine().Match(line) is { Success: true } dead)
        {
            Death(int.Parse(dead.Groups[1].Value, CultureInfo.InvariantCulture)).TrySetResult();
        }
    }

    private TaskCompletionSource Death(int siloPort)
    {
        lock (_deaths)
        {
            return _deaths.TryGetValue(siloPort, out var death) ? death : _deaths[siloPort] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>
    /// Waits until each of <paramref name="pids"/> has ended, up to <see cref="Deadline"/>; returns those still running
    /// then. It polls: a killed process that is not this one's child has no exit event to await.
    /// </summary>
    private static async Task<IReadOnlyList<int>> WaitGoneAsync(IEnumerable<int> pids)
    {
        var left = pids.ToList();
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            left.RemoveAll(pid => !ProcessProbe.IsRunning(pid));
            if (left.Count == 0 || DateTime.UtcNow >= until)
            {
                return left;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^replica-ready (http://127\.0\.0\.1:\d+) pid (\d+)$")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"^replica-sees-dead (\d+)$")]
    private static partial Regex DeadLine();
}
