using System.Diagnostics.CodeAnalysis;
using CodexRuntime.Diagnostics;
using CodexRuntime.Transport;

namespace CodexRuntime.Rpc;

// How the connection ends: the process exit or the reader closing settle it once, with a typed disconnect reason.
public sealed partial class CodexConnection
{
    private async Task WatchProcessExitAsync()
    {
        var exit = await _transport.Exited.ConfigureAwait(false);
        if (_completion.Task.IsCompleted)
        {
            return;
        }

        // Let the reader drain what codex wrote before it died; then close regardless (a grandchild may hold the pipe open).
        await Task.WhenAny(_completion.Task, Task.Delay(_options.ExitDrainTimeout, _options.TimeProvider)).ConfigureAwait(false);
        if (!_completion.Task.IsCompleted)
        {
            _rpc.Dispose();
            await FinishAsync(exit.Description).ConfigureAwait(false);
        }
    }

    [SuppressMessage("Reliability", "CA2016", Justification = "Waiting for exit information is bounded by its own short timeout.")]
    private async Task FinishAsync(string detail)
    {
        if (_completion.Task.IsCompleted)
        {
            return;
        }

        CodexTransportExit? exit = null;
        try
        {
            exit = await _transport.Exited.WaitAsync(TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The stream closed but the process (if any) has not been seen to exit yet.
        }

        CodexDisconnectInfo info = Volatile.Read(ref _disposed) != 0
            ? new(CodexDisconnectReason.Disposed, exit?.ExitCode, _transport.StderrTail, "the connection was disposed")
            : exit is not null && exit.ExitCode is not null
                ? new(CodexDisconnectReason.ProcessExited, exit.ExitCode, _transport.StderrTail, "the codex process exited")
                : new(CodexDisconnectReason.StreamClosed, exit?.ExitCode, _transport.StderrTail, $"the connection to codex closed ({detail})");

        if (_completion.TrySetResult(info))
        {
            if (_ownsEnvelopes)
            {
                _envelopes.Complete();
            }

            Log.ConnectionClosed(_logger, info.Description);
            await _closing.CancelAsync().ConfigureAwait(false);
        }
    }
}
