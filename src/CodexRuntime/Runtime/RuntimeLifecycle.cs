using System.Text.Json;
using CodexRuntime.Events;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using CodexRuntime.Transport;

// The root namespace: internal plumbing of the root layer (it uses the root's options and exceptions); the file stays in
// Supervision/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>
/// Tells the world about the runtime's life, once per event and in order: listeners inside the library (the client,
/// whose sessions recover) get a typed <see cref="RuntimeSignal"/>; the envelope stream gets a <c>codexRuntime/*</c>
/// lifecycle envelope for audit (subscribers and sinks see it among the wire traffic).
/// </summary>
internal sealed class RuntimeLifecycle(CodexEnvelopeStream envelopes)
{
    private readonly Lock _gate = new();
    private Action<RuntimeSignal>[] _listeners = [];

    /// <summary>
    /// Adds a listener; it is called on the supervising task, in order, and must not block (queue and return).
    /// Dispose the result to remove it.
    /// </summary>
    public IDisposable Listen(Action<RuntimeSignal> listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners, listener];
        }

        return new Registration(this, listener);
    }

    public void Started(CodexConnection connection) =>
        Raise(new RuntimeSignal(RuntimeSignalKind.Started), "codexRuntime/started", connection);

    public void Disconnected(CodexDisconnectInfo info) =>
        Raise(new RuntimeSignal(RuntimeSignalKind.Disconnected, Disconnect: info), "codexRuntime/disconnected", null);

    public void Restarting(int attempt, CodexDisconnectInfo info) =>
        Raise(new RuntimeSignal(RuntimeSignalKind.Restarting, attempt, info), "codexRuntime/restarting", null);

    public void Restarted(int attempt, CodexConnection connection) =>
        Raise(new RuntimeSignal(RuntimeSignalKind.Restarted, attempt), "codexRuntime/restarted", connection);

    public void Ended(bool faulted, string reason) =>
        Raise(new RuntimeSignal(RuntimeSignalKind.Ended, Faulted: faulted), faulted ? "codexRuntime/faulted" : "codexRuntime/stopped", null, reason);

    /// <summary>A lifecycle envelope on behalf of a layer above (a session says it was recovered), in order with the wire traffic.</summary>
    public void PublishLocal(string method, string? threadId, Action<Utf8JsonWriter> writeParams)
    {
        if (envelopes.HasSubscribers)
        {
            envelopes.Publish(CodexDirection.Local, CodexEnvelopeKind.Lifecycle, method, null, new RoutingIds(threadId, null, null), Envelope(method, writeParams));
        }
    }

    private void Raise(RuntimeSignal signal, string method, CodexConnection? connection, string? reason = null)
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener(signal);
        }

        if (!envelopes.HasSubscribers)
        {
            return;
        }

        var json = Envelope(method, writer =>
        {
            if (signal.Attempt is { } attempt)
            {
                writer.WriteNumber("attempt"u8, attempt);
            }

            if (connection is not null)
            {
                if (connection.Transport is CodexProcessTransport process)
                {
                    writer.WriteNumber("processId"u8, process.ProcessId);
                }

                writer.WriteString("userAgent"u8, connection.ServerInfo.UserAgent);
            }

            if (signal.Disconnect is { } disconnect)
            {
                writer.WriteString("reason"u8, disconnect.Reason.ToString());
                writer.WriteString("description"u8, disconnect.Description);
                if (disconnect.ExitCode is { } code)
                {
                    writer.WriteNumber("exitCode"u8, code);
                }
            }

            if (reason is not null)
            {
                writer.WriteString("reason"u8, reason);
            }
        });
        envelopes.Publish(CodexDirection.Local, CodexEnvelopeKind.Lifecycle, method, null, default, json);
    }

    private static byte[] Envelope(string method, Action<Utf8JsonWriter> writeParams) => WireWriter.Write(writer =>
    {
        writer.WriteString("method"u8, method);
        writer.WriteStartObject("params"u8);
        writeParams(writer);
        writer.WriteEndObject();
    });

    private void Remove(Action<RuntimeSignal> listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(l => !ReferenceEquals(l, listener))];
        }
    }

    private sealed class Registration(RuntimeLifecycle lifecycle, Action<RuntimeSignal> listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                lifecycle.Remove(listener);
            }
        }
    }
}
