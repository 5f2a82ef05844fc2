using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CodexRuntime.Orleans.Tests.Support;

/// <summary>
/// A real <c>redis-server</c> of its own: loopback only, on a free port, in its own temporary folder, with nothing
/// persisted (<c>--save "" --appendonly no</c>). Ready when it answers PING. Disposing kills it, reaps it and deletes
/// the folder. Use it per test (<see cref="StartAsync"/>) or as an xunit fixture (<c>IClassFixture&lt;RedisServer&gt;</c>
/// or a collection fixture: xunit starts it before the first test and disposes it after the last).
/// </summary>
public sealed class RedisServer : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>How long it may take to start and answer.</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly string? _binary;
    private readonly StringBuilder _output = new();
    private Process? _process;
    private DirectoryInfo? _folder;

    /// <summary>A server that starts in <see cref="InitializeAsync"/> (how xunit starts a fixture).</summary>
    public RedisServer()
        : this(null)
    {
    }

    private RedisServer(string? binary) => _binary = binary;

    /// <summary>Its port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>Its address as StackExchange.Redis and the Orleans Redis providers take it: <c>127.0.0.1:port</c>.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>Its process id.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>What it printed so far, for failure messages.</summary>
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

    /// <summary>Starts a server and waits until it answers.</summary>
    /// <param name="binary">The redis-server to run; found on PATH when null.</param>
    public static async Task<RedisServer> StartAsync(string? binary = null)
    {
        var server = new RedisServer(binary);
        try
        {
            await server.InitializeAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Starts the server (once more on a new port when its port was taken meanwhile) and waits until it answers.</summary>
    public async Task InitializeAsync()
    {
        var binary = _binary ?? FindOnPath("redis-server");
        if (binary is null || !File.Exists(binary))
        {
            throw new InvalidOperationException(
                $"redis-server was not found{(binary is null ? " on PATH" : $" at {binary}")}: the Orleans cluster tests run a real one. "
                + "Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`; build/test.sh does this when it is missing).");
        }

        _folder = Directory.CreateTempSubdirectory("codex-redis-");
        await LoopbackPorts.RetryOnceAsync(async () =>
        {
            await StartOnceAsync(binary, LoopbackPorts.Pick(1)[0]);
            return true;
        });
    }

    /// <summary>Sends PING on a new connection and returns the reply (<c>+PONG</c> from a live server).</summary>
    public async Task<string> PingAsync(CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync(cancellationToken) ?? "";
    }

    /// <summary>Kills and reaps the server and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        try
        {
            _folder?.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private async Task StartOnceAsync(string binary, int port)
    {
        await StopProcessAsync(); // a first attempt whose port was taken
        Port = port;
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder!.FullName,
        };
        foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _folder.FullName, "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "" })
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("redis-server exited before it was ready."));
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await ready.Task.WaitAsync(StartDeadline);
            using var deadline = new CancellationTokenSource(StartDeadline);
            var reply = await PingAsync(deadline.Token);
            if (reply != "+PONG")
            {
                throw new InvalidOperationException($"redis-server answered PING with '{reply}'.");
            }
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or IOException or SocketException or OperationCanceledException)
        {
            // Exited: the output is complete once the process is reaped (and says why, e.g. "Address already in use").
            await StopProcessAsync();
            throw new InvalidOperationException($"redis-server on port {port} did not start within {StartDeadline.TotalSeconds} s: {ex.Message}\n{Output}", ex);
        }
    }

    private async Task StopProcessAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync().WaitAsync(StartDeadline);
        process.Dispose();
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
