using System.Diagnostics.CodeAnalysis;
using CodexRuntime.Diagnostics;
using CodexRuntime.Rpc;
using CodexRuntime.Transport;
using Microsoft.Extensions.Logging;

namespace CodexRuntime;

/// <summary>
/// How a connection ends: the process exit, the reader closing or a dispose settle it once, with a typed disconnect
/// reason; and what a call that failed because of it says (the exit code and stderr tail, when known in time).
/// </summary>
internal sealed class ConnectionEnd
{
    /// <summary>How long a failed call waits for the exit code and stderr tail to become known before it throws without them.</summary>
    private static readonly TimeSpan ExitInfoWait = TimeSpan.FromMilliseconds(500);

    private readonly ICodexTransport _transport;
    private readonly CodexConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing;
    private readonly Action _onEnded;
    private readonly Func<bool> _disposed;
    private readonly TaskCompletionSource<CodexDisconnectInfo> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="transport">The connection's transport, whose exit and stderr tail describe the end.</param>
    /// <param name="options">The exit drain timeout and the clock.</param>
    /// <param name="logger">Logs the end once.</param>
    /// <param name="closing">Cancelled when the end is settled, so pending work stops.</param>
    /// <param name="onEnded">Runs once when the end is settled (the connection completes an envelope stream it owns).</param>
    /// <param name="disposed">Whether the connection was disposed, read when the end is settled: a dispose wins over any other reason.</param>
    public ConnectionEnd(ICodexTransport transport, CodexConnectionOptions options, ILogger logger, CancellationTokenSource closing, Action onEnded, Func<bool> disposed)
    {
        _disposed = disposed;
        _transport = transport;
        _options = options;
        _logger = logger;
        _closing = closing;
        _onEnded = onEnded;
    }

    /// <summary>Completes when the connection has ended, with why.</summary>
    public Task<CodexDisconnectInfo> Completion => _completion.Task;

    /// <summary>Watches the process: once it exits, the reader gets a moment to drain, then the connection ends regardless.</summary>
    /// <param name="stopReader">Stops the reader when it does not end by itself (a grandchild may hold the pipe open).</param>
    public async Task WatchProcessExitAsync(Action stopReader)
    {
        var exit = await _transport.Exited.ConfigureAwait(false);
        if (_completion.Task.IsCompleted)
        {
            return;
        }

        await Task.WhenAny(_completion.Task, Task.Delay(_options.ExitDrainTimeout, _options.TimeProvider)).ConfigureAwait(false);
        if (!_completion.Task.IsCompleted)
        {
            stopReader();
            await FinishAsync(exit.Description).ConfigureAwait(false);
        }
    }

    /// <summary>Settles the end (once): the reason is a dispose, the process exit, or the stream closing, in that order of precedence.</summary>
    [SuppressMessage("Reliability", "CA2016", Justification = "Waiting for exit information is bounded by its own short timeout.")]
    public async Task FinishAsync(string detail)
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

        CodexDisconnectInfo info = _disposed()
            ? new(CodexDisconnectReason.Disposed, exit?.ExitCode, _transport.StderrTail, "the connection was disposed")
            : exit is not null && exit.ExitCode is not null
                ? new(CodexDisconnectReason.ProcessExited, exit.ExitCode, _transport.StderrTail, "the codex process exited")
                : new(CodexDisconnectReason.StreamClosed, exit?.ExitCode, _transport.StderrTail, $"the connection to codex closed ({detail})");

        if (_completion.TrySetResult(info))
        {
            _onEnded();
            Log.ConnectionClosed(_logger, info.Description);
            await _closing.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The error for a call that failed because the connection closed, with the exit code and stderr tail when they come soon.</summary>
    public async Task<CodexTransportClosedException> ClosedExceptionAsync(string method, Exception? inner)
    {
        CodexDisconnectInfo? info = null;
        try
        {
            info = await Completion.WaitAsync(ExitInfoWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Report what we know now rather than hold the caller.
        }

        var description = info?.Description ?? "the connection to codex closed";
        return new CodexTransportClosedException($"'{method}' failed because {description}", info?.ExitCode, info?.StderrTail ?? _transport.StderrTail, inner);
    }
}
