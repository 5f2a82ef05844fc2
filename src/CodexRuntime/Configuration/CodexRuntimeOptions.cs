using System.Diagnostics.Metrics;
using CodexRuntime.Events;
using CodexRuntime.Rpc;
using CodexRuntime.ServerRequests;
using CodexRuntime.State;
using CodexRuntime.Transport;

namespace CodexRuntime;

/// <summary>Everything <see cref="CodexRuntimeHost"/> needs: how to reach codex, how to talk, who answers its requests, and what to keep.</summary>
public sealed class CodexRuntimeOptions
{
    /// <summary>How to start <c>codex app-server</c> (binary, arguments, environment, CODEX_HOME, shutdown timeouts).</summary>
    public CodexProcessOptions Process { get; set; } = new();

    /// <summary>
    /// Connects some other way than starting <see cref="Process"/> (an in-memory app-server in tests, a process started
    /// elsewhere). Called once per (re)start; the runtime owns and disposes each transport it returns.
    /// </summary>
    public Func<CancellationToken, ValueTask<ICodexTransport>>? TransportFactory { get; set; }

    /// <summary>
    /// Handshake, request deadline, validation mode, experimental opt-in, compatibility guard. Its
    /// <see cref="CodexConnectionOptions.TimeProvider"/> is the runtime's clock.
    /// </summary>
    public CodexConnectionOptions Connection { get; set; } = new();

    /// <summary>Typed handlers per server-request kind, the policy for requests nobody handles, and the answer deadline.</summary>
    public CodexServerRequestOptions ServerRequests { get; set; } = new();

    /// <summary>What happens when codex crashes; <see cref="CodexRestartPolicy.Never"/> by default.</summary>
    public CodexRestartPolicy RestartPolicy { get; set; } = CodexRestartPolicy.Never;

    /// <summary>Limits of the state projection.</summary>
    public CodexStateOptions State { get; set; } = new();

    /// <summary>Sinks that receive every envelope (see <see cref="IEventSink"/>); the runtime disposes them when it stops.</summary>
    public IList<IEventSink> EventSinks { get; } = new List<IEventSink>();

    /// <summary>How many envelopes may wait for one sink before newer ones are dropped (and counted). 100,000 by default.</summary>
    public int EventSinkCapacity { get; set; } = 100_000;

    /// <summary>How long shutdown waits for sinks to write what is queued. 5 s by default.</summary>
    public TimeSpan EventSinkDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Creates the runtime's <see cref="Meter"/> (from DI); a private meter named <c>CodexRuntime</c> when null.</summary>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>Checks the options; each problem says which setting is wrong and how to fix it.</summary>
    /// <returns>The problems; empty when the options are usable.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Process is null && TransportFactory is null)
        {
            problems.Add("Process is null and no TransportFactory is set; set Process (how to start codex) or TransportFactory.");
        }

        if (Connection is null)
        {
            problems.Add("Connection is null; leave it at its default or set a CodexConnectionOptions.");
        }
        else
        {
            if (Connection.RequestTimeout <= TimeSpan.Zero)
            {
                problems.Add($"Connection.RequestTimeout is {Connection.RequestTimeout}; use a positive time (60 s by default): every request needs a deadline.");
            }

            if (Connection.InitializeTimeout <= TimeSpan.Zero)
            {
                problems.Add($"Connection.InitializeTimeout is {Connection.InitializeTimeout}; use a positive time (30 s by default): the handshake needs a deadline.");
            }
        }

        if (ServerRequests is null)
        {
            problems.Add("ServerRequests is null; leave it at its default or set a CodexServerRequestOptions.");
        }
        else if (ServerRequests.Deadline <= TimeSpan.Zero)
        {
            problems.Add($"ServerRequests.Deadline is {ServerRequests.Deadline}; use a positive time (30 s by default) so every server request is answered.");
        }

        if (RestartPolicy is null)
        {
            problems.Add("RestartPolicy is null; use CodexRestartPolicy.Never or CodexRestartPolicy.OnCrash(...).");
        }
        else
        {
            problems.AddRange(RestartPolicy.Validate());
        }

        if (State is null)
        {
            problems.Add("State is null; leave it at its default or set a CodexStateOptions.");
        }
        else
        {
            problems.AddRange(State.Validate());
        }

        if (EventSinkCapacity < 1)
        {
            problems.Add($"EventSinkCapacity is {EventSinkCapacity}; use 1 or more.");
        }

        if (EventSinkDrainTimeout < TimeSpan.Zero)
        {
            problems.Add("EventSinkDrainTimeout must not be negative.");
        }

        return problems;
    }
}
