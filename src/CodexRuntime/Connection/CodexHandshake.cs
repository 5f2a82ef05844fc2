using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;
using CodexRuntime.Protocol.Names;
using CodexRuntime.Rpc;
using CodexRuntime.Transport;
using Microsoft.Extensions.Logging;

namespace CodexRuntime;

/// <summary>
/// The handshake of a new connection: <c>initialize</c>, the compatibility guard on the version codex reports, then
/// <c>initialized</c>. A failure says what went wrong in terms of the setting to change.
/// </summary>
internal static class CodexHandshake
{
    /// <summary>How long a failed handshake waits for the process to be seen exiting, so the error can say it is not codex.</summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(3);

    /// <summary>Runs the handshake on <paramref name="connection"/> and returns what the server said about itself.</summary>
    /// <exception cref="CodexCompatibilityException">The server is older than <see cref="CodexConnectionOptions.MinimumVersion"/>, or its version is unreadable.</exception>
    /// <exception cref="CodexConnectException">The handshake failed.</exception>
    public static async Task<CodexServerInfo> RunAsync(CodexConnection connection, CodexConnectionOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        InitializeResponse result;
        try
        {
            result = await connection.SendAsync<InitializeResponse>(CodexMethodNames.Initialize, Request(options), options.InitializeTimeout, privilegedEscalation: false, cancellationToken).ConfigureAwait(false);
        }
        catch (CodexTransportClosedException ex)
        {
            throw await ClosedDuringHandshakeAsync(connection.Transport, ex).ConfigureAwait(false);
        }
        catch (CodexException ex) when (ex is CodexTimeoutException or CodexRpcException)
        {
            throw new CodexConnectException($"The codex initialize handshake failed: {ex.Message}", ex);
        }

        CodexVersion? version = CodexVersion.TryParseUserAgent(result.UserAgent, out var parsed) ? parsed : null;
        var server = new CodexServerInfo(result.UserAgent, version, result.CodexHome, result.PlatformFamily, result.PlatformOs);
        if (options.CompatibilityGuard)
        {
            CheckVersion(version, options.MinimumVersion, result.UserAgent);
        }

        await connection.NotifyAsync(CodexClientNotificationNames.Initialized, null, cancellationToken).ConfigureAwait(false);
        Log.Connected(logger, version?.ToString() ?? "(unknown version)", result.UserAgent);
        if (server.IsNewerThanPinned)
        {
            Log.NewerThanPinned(logger, version!.Value.ToString(), CodexProtocolVersions.Pinned.ToString());
        }

        return server;
    }

    private static InitializeParams Request(CodexConnectionOptions options) => new()
    {
        ClientInfo = new ClientInfo { Name = options.ClientInfo.Name, Version = options.ClientInfo.Version, Title = options.ClientInfo.Title },
        Capabilities = options.ExperimentalApi || options.OptOutNotificationMethods.Count > 0
            ? new InitializeCapabilities
            {
                ExperimentalApi = options.ExperimentalApi,
                OptOutNotificationMethods = options.OptOutNotificationMethods.Count > 0 ? options.OptOutNotificationMethods.ToArray() : null,
            }
            : null,
    };

    private static void CheckVersion(CodexVersion? version, CodexVersion required, string userAgent)
    {
        if (version is null)
        {
            throw new CodexCompatibilityException(
                $"Could not read the codex version from its user agent '{userAgent}', so the compatibility guard cannot check it against the minimum {required}. " +
                "Use codex " + required + " or newer, or set CompatibilityGuard = false to connect anyway.",
                null, required.ToString(), userAgent);
        }

        if (version.Value < required)
        {
            throw new CodexCompatibilityException(
                $"codex {version} is older than the minimum supported version {required}. " +
                $"Install a newer codex (npm install -g @openai/codex@latest), or set CompatibilityGuard = false to connect anyway at your own risk.",
                version.ToString(), required.ToString(), userAgent);
        }
    }

    private static async Task<CodexConnectException> ClosedDuringHandshakeAsync(ICodexTransport transport, CodexTransportClosedException ex)
    {
        if ((ex.ExitCode ?? await ExitCodeAfterCloseAsync(transport).ConfigureAwait(false)) is not { } exitCode)
        {
            return new CodexConnectException($"The codex initialize handshake failed: {ex.Message}", ex);
        }

        // Seen with a wrong executable (/bin/false, a shell script, another tool): it ends before it speaks JSON-RPC.
        var stderr = string.IsNullOrEmpty(ex.StderrTail) ? transport.StderrTail : ex.StderrTail;
        return new CodexConnectException(
            $"The process ended (exit code {exitCode}) before it answered 'initialize', so it is probably not the codex CLI, or it cannot run 'codex app-server'. " +
            "Point Runtime.Process.ExecutablePath (configuration key CliPath) or CODEX_CLI_PATH at the codex binary (build/install-codex.sh prints its path)." +
            (string.IsNullOrEmpty(stderr) ? string.Empty : $" Last stderr lines:{Environment.NewLine}{stderr}"),
            ex);
    }

    // The pipe can close before the process is seen to exit (a loaded machine reaps it late), so the closed-transport
    // error may carry no exit code yet. Connecting is already failing: waiting a little longer for the exit costs
    // nothing and turns "the connection closed" into "that program is not codex".
    private static async Task<int?> ExitCodeAfterCloseAsync(ICodexTransport transport)
    {
        try
        {
            return (await transport.Exited.WaitAsync(ExitWait).ConfigureAwait(false)).ExitCode;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
