namespace CodexRuntime.Transport;

/// <summary>
/// A byte channel to one codex app-server: newline-delimited JSON goes in through <see cref="Input"/> and comes out
/// of <see cref="Output"/>. <see cref="CodexProcessTransport"/> is the real one; <see cref="StreamTransport"/> wraps
/// any pair of streams (in-memory pipes in tests, a socket, a custom host).
/// </summary>
public interface ICodexTransport : IAsyncDisposable
{
    /// <summary>Bytes written here reach the server (the process's stdin).</summary>
    Stream Input { get; }

    /// <summary>Bytes the server writes (the process's stdout).</summary>
    Stream Output { get; }

    /// <summary>Completes when the server side is gone (the process exited or the transport was disposed).</summary>
    Task<CodexTransportExit> Exited { get; }

    /// <summary>The last lines the server wrote to its error stream (bounded), for error messages.</summary>
    string StderrTail { get; }
}
