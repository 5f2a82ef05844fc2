using Microsoft.Extensions.Logging;

namespace CodexRuntime;

/// <summary>The one-line entry point (layer 1).</summary>
public static class Codex
{
    /// <summary>
    /// Runs one prompt on a process of its own: start codex, start a thread, run one turn, archive the thread, stop
    /// codex. The safe defaults apply unless <paramref name="profile"/> says otherwise.
    /// </summary>
    /// <param name="cwd">The working directory (made absolute).</param>
    /// <param name="prompt">What to ask.</param>
    /// <param name="profile">How to run; the safe defaults when null.</param>
    /// <param name="cancellationToken">Cancels the run (the turn is interrupted and codex stopped).</param>
    /// <returns>The result.</returns>
    /// <exception cref="CodexConnectException">codex could not be started or the handshake failed.</exception>
    /// <exception cref="CodexRunException">The run failed (codex going away or an RPC error included, as the inner exception); a failure to clean up afterwards is attached as <see cref="CodexRunException.ShutdownFailure"/>.</exception>
    /// <exception cref="CodexPrivilegedEscalationException">The profile asks for a privileged sandbox without meeting the rule; codex was not started.</exception>
    /// <exception cref="ArgumentException">The profile or client configuration is invalid; codex was not started.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="cwd"/> does not exist; codex was not started.</exception>
    /// <exception cref="CodexShutdownException">The run succeeded but cleaning up failed; the result is attached.</exception>
    public static Task<PromptRunResult> QuickRunAsync(string cwd, CodexPrompt prompt, RunProfile? profile = null, CancellationToken cancellationToken = default) =>
        QuickRunAsync(cwd, prompt, profile, new ClientConfig(), null, cancellationToken);

    /// <summary>
    /// <see cref="QuickRunAsync(string, CodexPrompt, RunProfile?, CancellationToken)"/> with client settings (codex path,
    /// CODEX_HOME, environment) and logging. The profile is the third argument in both overloads.
    /// </summary>
    /// <param name="cwd">The working directory (made absolute).</param>
    /// <param name="prompt">What to ask.</param>
    /// <param name="profile">How to run; <see cref="ClientConfig.DefaultProfile"/> when null.</param>
    /// <param name="client">How to start codex.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result.</returns>
    public static async Task<PromptRunResult> QuickRunAsync(string cwd, CodexPrompt prompt, RunProfile? profile, ClientConfig client, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(prompt);
        var codex = new CodexClient(client, loggerFactory);
        try
        {
            // Bad input (cwd, profile, the privileged-escalation rule) fails before a process is started for nothing.
            codex.CheckNewSession(new SessionConfig(cwd, profile));
            await codex.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CodexException and not CodexConnectException and not CodexRequestValidationException)
        {
            await codex.DisposeAsync().ConfigureAwait(false);
            throw new CodexConnectException($"codex could not be started: {ex.Message}", ex);
        }
        catch
        {
            await codex.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        PromptRunResult result;
        try
        {
            result = await codex.RunAsync(cwd, prompt, profile, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CodexException and not CodexShutdownException)
        {
            // Whatever ended the run (codex gone, an RPC error, the turn's own status) is a run failure, and a failure
            // to stop codex afterwards travels with it.
            var runFailure = ex as CodexRunException ?? new CodexRunException($"The run failed: {ex.Message}", innerException: ex);
            if (await TryStopAsync(codex).ConfigureAwait(false) is { } stopFailure)
            {
                runFailure.ShutdownFailure = runFailure.ShutdownFailure is null ? stopFailure : new AggregateException(runFailure.ShutdownFailure, stopFailure);
            }

            if (ReferenceEquals(runFailure, ex))
            {
                throw;
            }

            throw runFailure;
        }
        catch
        {
            await TryStopAsync(codex).ConfigureAwait(false);
            throw;
        }

        if (await TryStopAsync(codex).ConfigureAwait(false) is { } failure)
        {
            throw new CodexShutdownException("stopping codex", result, failure);
        }

        return result;
    }

    private static async Task<Exception?> TryStopAsync(CodexClient codex)
    {
        try
        {
            await codex.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ex;
        }
    }
}
