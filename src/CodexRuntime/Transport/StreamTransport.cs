namespace CodexRuntime.Transport;

/// <summary>
/// A transport over caller-supplied streams: an in-memory duplex pipe in tests, or a connection to an app-server
/// that something else started. Disposing it disposes both streams.
/// </summary>
public sealed class StreamTransport : ICodexTransport
{
    private readonly TaskCompletionSource<CodexTransportExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a transport over one duplex stream (read and write on the same object).</summary>
    /// <param name="duplex">A stream that reads what the server writes and writes to the server.</param>
    public StreamTransport(Stream duplex)
        : this(duplex, duplex)
    {
    }

    /// <summary>Creates a transport over two one-way streams.</summary>
    /// <param name="input">Writes to the server.</param>
    /// <param name="output">Reads what the server writes.</param>
    public StreamTransport(Stream input, Stream output)
    {
        Input = input ?? throw new ArgumentNullException(nameof(input));
        Output = output ?? throw new ArgumentNullException(nameof(output));
    }

    /// <inheritdoc />
    public Stream Input { get; }

    /// <inheritdoc />
    public Stream Output { get; }

    /// <inheritdoc />
    public Task<CodexTransportExit> Exited => _exited.Task;

    /// <inheritdoc />
    public string StderrTail => string.Empty;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Input.DisposeAsync().ConfigureAwait(false);
        if (!ReferenceEquals(Input, Output))
        {
            await Output.DisposeAsync().ConfigureAwait(false);
        }

        _exited.TrySetResult(new CodexTransportExit(null, "the stream transport was disposed"));
    }
}
