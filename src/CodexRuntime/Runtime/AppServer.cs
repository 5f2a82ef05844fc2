using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using CodexRuntime.ServerRequests;
using Microsoft.Extensions.Logging;

namespace CodexRuntime;

/// <summary>
/// Layer 5: the app-server as a typed API. One helper per stable client request of the pinned codex (generated from
/// its schema into <c>AppServer.g.cs</c>, e.g. <c>ThreadStartAsync</c>, <c>TurnStartAsync</c>, <c>ModelListAsync</c>),
/// <see cref="CallAsync"/> for any catalog method, one raw escape hatch (<see cref="SendRawRequestAsync"/>,
/// <see cref="SendRawNotificationAsync"/>) for anything else, and server requests as a stream to consume and answer.
/// This is the one public call surface: the runtime underneath has none of its own. Everything goes through a
/// <see cref="CodexRuntimeHost"/>, so events, state, metrics, supervision, the catalog checks (experimental opt-in,
/// availability in the connected codex) and the privileged-escalation rule apply.
/// </summary>
public sealed partial class AppServer : IAsyncDisposable
{
    private readonly bool _ownsRuntime;

    /// <summary>Wraps a runtime someone else owns (and starts and disposes); <see cref="CodexRuntimeHost.AppServer"/> is one already made.</summary>
    /// <param name="runtime">The runtime.</param>
    public AppServer(CodexRuntimeHost runtime)
        : this(runtime, ownsRuntime: false)
    {
    }

    private AppServer(CodexRuntimeHost runtime, bool ownsRuntime)
    {
        Runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        _ownsRuntime = ownsRuntime;
    }

    /// <summary>The runtime underneath: live events (<see cref="CodexRuntimeHost.Subscribe"/>), state, metrics, supervision.</summary>
    public CodexRuntimeHost Runtime { get; }

    /// <summary>What the connected codex said about itself.</summary>
    public CodexServerInfo ServerInfo => Runtime.ServerInfo;

    /// <summary>Creates a runtime from <paramref name="options"/>, starts it, and returns an AppServer that owns it.</summary>
    /// <param name="options">The runtime options.</param>
    /// <param name="loggerFactory">Logging; optional.</param>
    /// <param name="cancellationToken">Cancels the start; a started process is reaped.</param>
    /// <returns>The connected AppServer; dispose it to shut codex down.</returns>
    /// <exception cref="CodexConnectException">codex could not be started or initialized.</exception>
    public static async Task<AppServer> StartAsync(CodexRuntimeOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var runtime = new CodexRuntimeHost(options, loggerFactory);
        try
        {
            await runtime.StartAsync(cancellationToken).ConfigureAwait(false);
            return new AppServer(runtime, ownsRuntime: true);
        }
        catch
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Calls any catalog method (<see cref="CodexMethods"/>), experimental ones included (they need
    /// <see cref="CodexConnectionOptions.ExperimentalApi"/>): for methods without a typed helper here.
    /// </summary>
    /// <typeparam name="TParams">The params type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="method">The method, e.g. <c>CodexMethods.ThreadStart</c>.</param>
    /// <param name="parameters">The params (<see cref="CodexNoParams.Value"/> for methods without).</param>
    /// <param name="timeout">Deadline; the connection's request timeout when null.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The result.</returns>
    /// <exception cref="CodexRequestValidationException">Refused before sending: experimental without opt-in, or not in the connected codex.</exception>
    /// <exception cref="CodexRpcException">codex answered with an error.</exception>
    /// <exception cref="CodexTimeoutException">No answer within the deadline.</exception>
    /// <exception cref="CodexTransportClosedException">codex is gone.</exception>
    public Task<TResult> CallAsync<TParams, TResult>(CodexMethod<TParams, TResult> method, TParams parameters, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Runtime.CallAsync(method, parameters, timeout, cancellationToken);

    /// <summary>
    /// The escape hatch: sends a request the typed surface lacks (a method newer than the pinned schema, say) with raw
    /// JSON params. It passes the same guard as every call: the catalog checks when the method is known (per
    /// <see cref="CodexConnectionOptions.ValidationMode"/>) and the privileged-escalation rule always.
    /// </summary>
    /// <param name="method">The JSON-RPC method.</param>
    /// <param name="parameters">The params object; omitted when null.</param>
    /// <param name="timeout">Deadline; the connection's request timeout when null. Waiting for a restart counts against it.</param>
    /// <param name="cancellationToken">Abandons the call (codex is not told: it has no cancel message).</param>
    /// <returns>The raw result.</returns>
    /// <exception cref="CodexRequestValidationException">Refused before sending.</exception>
    /// <exception cref="CodexPrivilegedEscalationException">The params ask for a privileged sandbox without the opt-in.</exception>
    /// <exception cref="CodexRpcException">codex answered with an error.</exception>
    /// <exception cref="CodexTimeoutException">No answer within the deadline.</exception>
    /// <exception cref="CodexTransportClosedException">codex is gone (exit code and stderr tail attached).</exception>
    public Task<JsonElement> SendRawRequestAsync(string method, JsonElement? parameters = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Runtime.RequestAsync(method, parameters, timeout, cancellationToken);

    /// <summary>The escape hatch for notifications: sends one the typed surface lacks, with raw JSON params.</summary>
    /// <param name="method">The method.</param>
    /// <param name="parameters">The params object; omitted when null.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when written.</returns>
    /// <exception cref="CodexTransportClosedException">codex is gone.</exception>
    public Task SendRawNotificationAsync(string method, JsonElement? parameters = null, CancellationToken cancellationToken = default) =>
        Runtime.NotifyAsync(method, parameters, cancellationToken);

    /// <summary>
    /// Server requests as a stream to read and answer (<see cref="CodexServerRequest.RespondAsync(JsonElement)"/> /
    /// <see cref="CodexServerRequest.RespondErrorAsync"/>). One consumer per stream; several components can each open a
    /// stream with a filter (for their threads, say) next to one catch-all stream. Requests nobody claims go to the
    /// typed handlers, then to the policy; the deadline applies either way.
    /// </summary>
    /// <param name="options">Which requests to claim; all when null.</param>
    /// <returns>The stream; dispose it to stop claiming.</returns>
    public CodexServerRequestStream OpenServerRequestStream(CodexServerRequestStreamOptions? options = null) => Runtime.OpenServerRequestStream(options);

    /// <summary>Stops the runtime when this AppServer started it (<see cref="StartAsync"/>); otherwise does nothing.</summary>
    /// <returns>A task that completes when released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsRuntime)
        {
            await Runtime.DisposeAsync().ConfigureAwait(false);
        }
    }
}
