using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace WebChat.Replicas;

/// <summary>
/// <c>--replicas N</c>: a cluster on this machine to watch a session outlive a replica. It starts a private
/// <c>redis-server</c> (when it is on PATH), then this sample N times as child processes (each a replica with its own
/// codex, CODEX_HOME, workspace and fake model, co-hosting an Orleans silo), then a round-robin proxy on the public
/// port; it prints the URL and each replica's pid, takes a replica that exits out of the proxy, and on Ctrl+C or
/// SIGTERM stops everything it started (SIGTERM, then the process tree killed) and reaps it.
/// </summary>
public static partial class ReplicaCluster
{
    /// <summary>How long one replica may take to print its URL (its codex and its silo, joining the cluster).</summary>
    public static readonly TimeSpan ReplicaStartDeadline = TimeSpan.FromSeconds(120);

    private const string RedisName = "redis";

    private static readonly TimeSpan RedisStartDeadline = TimeSpan.FromSeconds(20);

    /// <summary>The arguments ask for the replicas mode (<c>--replicas N</c>).</summary>
    /// <param name="args">The command line.</param>
    /// <returns>True for the replicas mode.</returns>
    public static bool IsRequested(string[] args) =>
        args.Any(a => a == "--replicas" || a.StartsWith("--replicas=", StringComparison.Ordinal));

    /// <summary>Runs the cluster until Ctrl+C or SIGTERM.</summary>
    /// <param name="args">The command line: <c>--replicas N</c>, <c>--urls</c> for the proxy, the rest passed to each replica.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
        var count = configuration.GetValue<int>("replicas");
        if (count is < 1 or > 9)
        {
            Console.Error.WriteLine("WebChat: --replicas takes a count from 1 to 9, e.g. --replicas 3.");
            return 1;
        }

        if (LocalOnly.RefusalToListen(configuration) is { } refusal)
        {
            Console.Error.WriteLine(refusal);
            return 1;
        }

        // Ctrl+C and SIGTERM stop the start too, not only the running cluster: nothing started is left behind.
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        var children = new List<ChildProcess>();
        ReplicaProxy? proxy = null;
        var stopping = false;
        try
        {
            proxy = await ReplicaProxy.StartAsync(configuration, stop.Token);
            var (redis, redisPid) = RedisServerPath() is { } redisServer ? await StartRedisAsync(redisServer, children, stop.Token) : default;
            var ports = FreePorts(count * 3);
            var cluster = "webchat-" + Guid.NewGuid().ToString("N")[..12];
            var settings = Enumerable.Range(1, count).Select(index => new ReplicaSettings
            {
                Index = index,
                SiloPort = ports[(3 * index) - 3],
                GatewayPort = ports[(3 * index) - 2],
                ClusterId = cluster,
                Redis = redis,
                PrimarySiloPort = ports[0],
                ProxyPort = proxy.Url.Port,
            }).ToList();

            // Replica 1 first (the primary silo without Redis), then the others together.
            var started = new List<(ReplicaSettings Settings, ChildProcess Child, Uri Url)>();
            foreach (var wave in new[] { settings.Take(1), settings.Skip(1) })
            {
                var starting = wave.Select(s => (Settings: s, Child: StartReplica(s, ports[(3 * s.Index) - 1], ReplicaArguments(args)))).ToList();
                children.AddRange(starting.Select(s => s.Child));
                foreach (var (replica, child) in starting)
                {
                    var ready = await child.WaitReadyAsync(ReplicaStartDeadline).WaitAsync(stop.Token);
                    started.Add((replica, child, new Uri(ready.Groups[1].Value)));
                }
            }

            foreach (var (replica, child, url) in started)
            {
                proxy.Add(replica.Index, url);
                _ = child.Exited.ContinueWith(_ => Exited(proxy, replica, child, () => stopping), TaskScheduler.Default);
            }

            PrintSummary(proxy.Url, redis, redisPid, started.Select(s => (s.Settings.Index, s.Child.Id, s.Url)).ToList());
            await proxy.WaitForShutdownAsync(stop.Token);
            return 0;
        }
        catch (Exception ex) when (ex is OperationCanceledException && stop.IsCancellationRequested)
        {
            return 0; // Ctrl+C during the start
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
        {
            Console.Error.WriteLine($"WebChat --replicas failed: {ex.Message}");
            return 1;
        }
        finally
        {
            stopping = true;
            Console.WriteLine("Stopping the replicas, then Redis.");
            if (proxy is not null)
            {
                await proxy.DisposeAsync();
            }

            // Replicas 2..N together, then replica 1 (the primary silo without Redis), then Redis (children[0] with it).
            var replicas = children.Where(c => c.Name != RedisName).ToList();
            await Task.WhenAll(replicas.Skip(1).Select(c => c.DisposeAsync().AsTask()));
            foreach (var last in replicas.Take(1).Concat(children.Where(c => c.Name == RedisName)))
            {
                await last.DisposeAsync();
            }

            Console.WriteLine("Stopped: no replica and no redis-server left running.");
        }
    }

    /// <summary>A replica exited (killed, crashed): the proxy sends to the others from now on, and the console says so.</summary>
    private static void Exited(ReplicaProxy proxy, ReplicaSettings replica, ChildProcess child, Func<bool> stopping)
    {
        if (stopping())
        {
            return;
        }

        proxy.Remove(replica.Index);
        var rest = string.Join(", ", proxy.Replicas);
        Console.WriteLine($"replica {replica.Index} (pid {child.Id}) exited: the proxy sends to replica(s) {rest} now.");
        if (replica.Redis is null && replica.Index == 1)
        {
            Console.WriteLine("Replica 1 held the cluster's membership (no Redis): the other replicas cannot reach each other's sessions any more. Press Ctrl+C.");
        }
    }

    private static async Task<(string Address, int Pid)> StartRedisAsync(string redisServer, List<ChildProcess> children, CancellationToken cancellationToken)
    {
        var port = FreePorts(1)[0];
        var folder = Directory.CreateTempSubdirectory("codex-webchat-redis-").FullName;
        // Nothing on disk: no snapshots (--save ""), no append-only file; its folder is a fresh temp one all the same.
        var start = new ProcessStartInfo(redisServer, ["--port", Format(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder])
        {
            WorkingDirectory = folder,
        };
        var child = ChildProcess.Start(start, RedisName, RedisReady(), echo: false);
        children.Add(child);
        await child.WaitReadyAsync(RedisStartDeadline).WaitAsync(cancellationToken);
        return ($"127.0.0.1:{Format(port)}", child.Id);
    }

    private static ChildProcess StartReplica(ReplicaSettings replica, int httpPort, IEnumerable<string> passedOn)
    {
        // The same sample again: `dotnet WebChat.dll ...` when run that way, else its own executable (dotnet run).
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var start = new ProcessStartInfo(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ReplicaCluster).Assembly.Location);
        }

        string[] arguments =
        [
            "--urls", $"http://127.0.0.1:{Format(httpPort)}",
            .. replica.ToArguments(),
            "--Logging:LogLevel:Orleans", "Warning", // the silo's start-up chatter would bury the lines worth watching
            .. passedOn,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return ChildProcess.Start(start, $"replica {Format(replica.Index)}", ReplicaReady(), echo: true);
    }

    /// <summary>The command line a replica gets from the parent's: all but <c>--replicas</c> and <c>--urls</c> (the proxy's).</summary>
    private static List<string> ReplicaArguments(string[] args)
    {
        var passed = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--replicas" or "--urls")
            {
                i++; // and its value
            }
            else if (!args[i].StartsWith("--replicas=", StringComparison.Ordinal) && !args[i].StartsWith("--urls=", StringComparison.Ordinal))
            {
                passed.Add(args[i]);
            }
        }

        return passed;
    }

    private static void PrintSummary(Uri proxy, string? redis, int redisPid, List<(int Index, int Pid, Uri Url)> replicas)
    {
        Console.WriteLine();
        Console.WriteLine($"WebChat: {replicas.Count} replicas behind a round-robin proxy; every replica serves every session.");
        if (redis is not null)
        {
            Console.WriteLine($"cluster:   Redis at {redis}, pid {Format(redisPid)} (membership and session records; in memory only, removed on exit)");
        }
        else
        {
            Console.WriteLine("cluster:   localhost clustering (replica 1's silo is the primary), session records in memory.");
            Console.WriteLine("           redis-server is not on PATH: kill only replica 2 or 3, as replica 1 holds the cluster together.");
            Console.WriteLine("           For the full demo, where any replica may die, install Redis: sudo apt-get install redis-server");
        }

        foreach (var (index, pid, url) in replicas)
        {
            Console.WriteLine($"replica {Format(index)}: pid {Format(pid)} {url}");
        }

        Console.WriteLine($"Watch a session survive: open the page, send a message, then kill a replica, e.g. kill -9 {Format(replicas[^1].Pid)}");
        Console.WriteLine("and send another: the proxy sends to the replicas that are left. Ctrl+C stops everything.");
        Console.WriteLine($"open:      {proxy.ToString().TrimEnd('/')}/");
    }

    private static string? RedisServerPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "redis-server"))
            .FirstOrDefault(File.Exists);

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("Ready to accept connections")]
    private static partial Regex RedisReady();

    [GeneratedRegex(@"^open:\s+(http://\S+)/$")]
    private static partial Regex ReplicaReady();
}
