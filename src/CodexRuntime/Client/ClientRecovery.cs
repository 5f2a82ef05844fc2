using System.Threading.Channels;

namespace CodexRuntime;

/// <summary>
/// Keeps a client's sessions across restarts of its runtime: on the runtime's supervising task, sessions learn of a
/// restart at once (their calls wait for the recovery); resuming them, which takes requests, happens in order on a loop
/// of its own; when the runtime ends for good, every session is told so.
/// </summary>
internal sealed class ClientRecovery : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<CodexSession>> _sessions;
    private readonly Channel<RuntimeSignal> _signals = Channel.CreateUnbounded<RuntimeSignal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IDisposable _lifecycle;
    private readonly Task _loop;

    /// <param name="runtime">The runtime whose lifecycle is followed.</param>
    /// <param name="sessions">The sessions open now (read at each signal).</param>
    public ClientRecovery(CodexRuntimeHost runtime, Func<IReadOnlyList<CodexSession>> sessions)
    {
        _sessions = sessions;
        _lifecycle = runtime.ListenToLifecycle(OnRuntimeSignal);
        _loop = Task.Run(RecoverSessionsAsync);
    }

    /// <summary>Stops following the runtime and waits for a recovery under way to finish.</summary>
    /// <returns>A task that completes when the loop has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        _lifecycle.Dispose();
        _signals.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private void OnRuntimeSignal(RuntimeSignal signal)
    {
        switch (signal.Kind)
        {
            case RuntimeSignalKind.Restarting:
                foreach (var session in _sessions())
                {
                    session.BeginRecovery();
                }

                break;
            case RuntimeSignalKind.Restarted:
            case RuntimeSignalKind.Ended:
                _signals.Writer.TryWrite(signal);
                break;
        }
    }

    private async Task RecoverSessionsAsync()
    {
        await foreach (var signal in _signals.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (signal.Kind == RuntimeSignalKind.Restarted)
            {
                // One after the other: resuming is a handful of requests, and order keeps the log readable.
                foreach (var session in _sessions())
                {
                    await session.RecoverAsync(CancellationToken.None).ConfigureAwait(false);
                }

                continue;
            }

            var gone = new CodexTransportClosedException(signal.Faulted ? "codex ended and will not be restarted" : "the codex runtime was stopped", null, string.Empty);
            foreach (var session in _sessions())
            {
                session.AbandonRecovery(gone);
            }
        }
    }
}
