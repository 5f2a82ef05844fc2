using System.Buffers;
using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;
using CodexRuntime.Protocol.Names;

namespace CodexRuntime.Rpc;

// The handshake: initialize, the compatibility guard and the catalog of the connected codex, then initialized.
public sealed partial class CodexConnection
{
    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var request = new InitializeParams
        {
            ClientInfo = new ClientInfo { Name = _options.ClientInfo.Name, Version = _options.ClientInfo.Version, Title = _options.ClientInfo.Title },
            Capabilities = _options.ExperimentalApi || _options.OptOutNotificationMethods.Count > 0
                ? new InitializeCapabilities
                {
                    ExperimentalApi = _options.ExperimentalApi,
                    OptOutNotificationMethods = _options.OptOutNotificationMethods.Count > 0 ? _options.OptOutNotificationMethods.ToArray() : null,
                }
                : null,
        };

        InitializeResponse result;
        try
        {
            result = await InvokeAsync<InitializeResponse>(CodexMethodNames.Initialize, request, _options.InitializeTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (CodexTransportClosedException ex)
        {
            if ((ex.ExitCode ?? await ExitCodeAfterCloseAsync().ConfigureAwait(false)) is not { } exitCode)
            {
                throw new CodexConnectException($"The codex initialize handshake failed: {ex.Message}", ex);
            }

            // Seen with a wrong executable (/bin/false, a shell script, another tool): it ends before it speaks JSON-RPC.
            var stderr = string.IsNullOrEmpty(ex.StderrTail) ? _transport.StderrTail : ex.StderrTail;
            throw new CodexConnectException(
                $"The process ended (exit code {exitCode}) before it answered 'initialize', so it is probably not the codex CLI, or it cannot run 'codex app-server'. " +
                "Point Runtime.Process.ExecutablePath (configuration key CliPath) or CODEX_CLI_PATH at the codex binary (build/install-codex.sh prints its path)." +
                (string.IsNullOrEmpty(stderr) ? string.Empty : $" Last stderr lines:{Environment.NewLine}{stderr}"),
                ex);
        }
        catch (CodexException ex) when (ex is CodexTimeoutException or CodexRpcException)
        {
            throw new CodexConnectException($"The codex initialize handshake failed: {ex.Message}", ex);
        }

        CodexVersion? version = CodexVersion.TryParseUserAgent(result.UserAgent, out var parsed) ? parsed : null;
        _serverInfo = new CodexServerInfo(result.UserAgent, version, result.CodexHome, result.PlatformFamily, result.PlatformOs);
        if (_options.CompatibilityGuard)
        {
            var required = _options.MinimumVersion;
            if (version is null)
            {
                throw new CodexCompatibilityException(
                    $"Could not read the codex version from its user agent '{result.UserAgent}', so the compatibility guard cannot check it against the minimum {required}. " +
                    "Use codex " + required + " or newer, or set CompatibilityGuard = false to connect anyway.",
                    null, required.ToString(), result.UserAgent);
            }

            if (version.Value < required)
            {
                throw new CodexCompatibilityException(
                    $"codex {version} is older than the minimum supported version {required}. " +
                    $"Install a newer codex (npm install -g @openai/codex@latest), or set CompatibilityGuard = false to connect anyway at your own risk.",
                    version.ToString(), required.ToString(), result.UserAgent);
            }
        }

        await NotifyAsync(CodexClientNotificationNames.Initialized, null, cancellationToken).ConfigureAwait(false);
        Log.Connected(_logger, version?.ToString() ?? "(unknown version)", result.UserAgent);
        if (_serverInfo.IsNewerThanPinned)
        {
            Log.NewerThanPinned(_logger, version!.Value.ToString(), CodexProtocolVersions.Pinned.ToString());
        }
    }

    // The pipe can close before the process is seen to exit (a loaded machine reaps it late), so the closed-transport
    // error may carry no exit code yet. Connecting is already failing: waiting a little longer for the exit costs
    // nothing and turns "the connection closed" into "that program is not codex".
    private async Task<int?> ExitCodeAfterCloseAsync()
    {
        try
        {
            return (await _transport.Exited.WaitAsync(HandshakeExitWait).ConfigureAwait(false)).ExitCode;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
