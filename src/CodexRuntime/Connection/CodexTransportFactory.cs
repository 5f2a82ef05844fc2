using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CodexRuntime.Transport;
using Microsoft.Extensions.Logging;

// The root namespace: it fails with CodexConnectException and CodexCompatibilityException, root exceptions, and
// Transport (below the root) names none; the file stays in Transport/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>
/// Opens the transport <see cref="CodexProcessOptions"/> describe: a child on stdio (the default), start-and-attach
/// (<see cref="CodexProcessOptions.Listen"/>) or attach-only (<see cref="CodexProcessOptions.Attach"/>).
/// </summary>
public static class CodexTransportFactory
{
    /// <summary>How long the capability probe (<c>codex --version</c>, <c>codex app-server --help</c>) may take.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How often start-and-attach looks for the listener while codex starts.</summary>
    private static readonly TimeSpan ListenPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>The first codex release on which CodexRuntime verified <c>--listen unix://</c> and <c>--ws-auth</c> (0.104.0 has neither).</summary>
    public const string MinimumListenVersion = "0.171.0";

    /// <summary>Opens the configured transport.</summary>
    /// <param name="options">How to start or reach codex.</param>
    /// <param name="loggerFactory">Receives codex's stderr and lifecycle events of a started process; optional.</param>
    /// <param name="cancellationToken">Cancels the start or connect; a started process is reaped.</param>
    /// <returns>The transport, ready for the runtime (<see cref="CodexRuntimeHost"/>) to run its connection over.</returns>
    /// <exception cref="CodexBinaryNotFoundException">codex could not be located (stdio, start-and-attach).</exception>
    /// <exception cref="CodexCompatibilityException">The located codex cannot listen on the requested endpoint; the message names its version.</exception>
    /// <exception cref="CodexConnectException">The process did not start, the listener did not come up, or the WebSocket was refused.</exception>
    public static async Task<ICodexTransport> OpenAsync(CodexProcessOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Attach is { Kind: not CodexEndpointKind.Stdio } attach)
        {
            return await CodexWebSocketTransport.AttachAsync(attach, TokenFor(attach, options.WebSocketToken), options.ListenTimeout, server: null, cancellationToken).ConfigureAwait(false);
        }

        if (options.Listen is { Kind: not CodexEndpointKind.Stdio } listen)
        {
            return await StartAndAttachAsync(listen, options, loggerFactory, cancellationToken).ConfigureAwait(false);
        }

        return CodexProcessTransport.Start(options, loggerFactory);
    }

    private static string? TokenFor(CodexEndpoint endpoint, string? token) => endpoint.Kind == CodexEndpointKind.WebSocket ? token : null;

    private static async Task<ICodexTransport> StartAndAttachAsync(CodexEndpoint listen, CodexProcessOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var token = TokenFor(listen, options.WebSocketToken);
        if (listen.Kind == CodexEndpointKind.WebSocket && !listen.IsLoopback && token is null)
        {
            throw new CodexConnectException(
                $"Refusing to start codex on {listen} without a token: anyone who reaches that address could run commands as this user. Set CodexProcessOptions.WebSocketToken, or listen on a loopback address or a unix:// socket.");
        }

        var binary = CodexBinaryLocator.Locate(options.ExecutablePath);
        await CheckSupportAsync(binary, listen, token, cancellationToken).ConfigureAwait(false);

        var arguments = new List<string> { "--listen", listen.ToString() };
        if (token is not null)
        {
            // The digest, not the token: command lines are readable by every user of the machine.
            arguments.AddRange(["--ws-auth", "capability-token", "--ws-token-sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))]);
        }

        var server = CodexProcessTransport.StartBinary(binary, options, loggerFactory, arguments);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.ListenTimeout);
            await WaitForListenerAsync(listen, server, options.ListenTimeout, deadline.Token, cancellationToken).ConfigureAwait(false);
            return await CodexWebSocketTransport.AttachAsync(listen, token, options.ListenTimeout, server, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // No orphan: the process we started goes with the failed attach.
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until the listener accepts a plain socket connection, or the process exits, or the deadline passes.</summary>
    private static async Task WaitForListenerAsync(CodexEndpoint listen, CodexProcessTransport server, TimeSpan timeout, CancellationToken deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (server.Exited.IsCompleted)
            {
                var exit = await server.Exited.ConfigureAwait(false);
                throw new CodexConnectException(
                    $"codex app-server --listen {listen} exited (code {exit.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}) before it accepted a connection. Its last stderr lines:{Environment.NewLine}{server.StderrTail}");
            }

            try
            {
                if (await CanConnectAsync(listen, deadline).ConfigureAwait(false))
                {
                    return;
                }

                await Task.WhenAny(Task.Delay(ListenPoll, deadline), server.Exited).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CodexConnectException(
                    $"codex app-server --listen {listen} did not accept a connection within {timeout.TotalSeconds:0.#} s (CodexProcessOptions.ListenTimeout). Its last stderr lines:{Environment.NewLine}{server.StderrTail}");
            }
        }
    }

    private static async Task<bool> CanConnectAsync(CodexEndpoint listen, CancellationToken cancellationToken)
    {
        // codex creates the socket file when it listens: until then there is nothing to connect to.
        if (listen.Kind == CodexEndpointKind.UnixSocket && !File.Exists(listen.SocketPath))
        {
            return false;
        }

        using var socket = listen.Kind == CodexEndpointKind.UnixSocket
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (listen.Kind == CodexEndpointKind.UnixSocket)
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(listen.SocketPath!), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(listen.Host!, listen.Port, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Asks the binary what its <c>--listen</c> takes (the help text is the truth for any build), so an older codex fails
    /// here with its version named instead of exiting with a usage error.
    /// </summary>
    private static async Task CheckSupportAsync(CodexBinary binary, CodexEndpoint listen, string? token, CancellationToken cancellationToken)
    {
        var help = await RunAsync(binary, ["app-server", "--help"], cancellationToken).ConfigureAwait(false);
        var missing = listen.Kind == CodexEndpointKind.UnixSocket && !help.Contains("unix://", StringComparison.Ordinal)
            ? "unix:// listeners"
            : token is not null && !help.Contains("--ws-auth", StringComparison.Ordinal)
                ? "WebSocket token auth (--ws-auth)"
                : null;
        if (missing is null)
        {
            return;
        }

        var versionLine = (await RunAsync(binary, ["--version"], cancellationToken).ConfigureAwait(false)).Trim();
        var version = versionLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        throw new CodexCompatibilityException(
            $"codex {version ?? "(version unknown)"} at '{binary.ExecutablePath}' does not support {missing}, which {listen} needs; CodexRuntime uses it from codex {MinimumListenVersion} on. Install a newer codex, or use the stdio transport (leave CodexProcessOptions.Listen unset){(listen.Kind == CodexEndpointKind.UnixSocket ? " or ws://127.0.0.1:PORT without a token" : string.Empty)}.",
            version,
            MinimumListenVersion,
            versionLine);
    }

    private static async Task<string> RunAsync(CodexBinary binary, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(binary.ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new CodexConnectException($"codex at '{binary.ExecutablePath}' did not start.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ProbeTimeout);
        try
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var error = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return await output.ConfigureAwait(false) + await error.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new CodexConnectException($"'{binary.ExecutablePath} {string.Join(' ', arguments)}' did not finish within {ProbeTimeout.TotalSeconds:0} s.");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
