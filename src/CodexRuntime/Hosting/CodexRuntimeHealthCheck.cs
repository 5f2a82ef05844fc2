using CodexRuntime.State;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CodexRuntime.Hosting;

/// <summary>
/// The health of one client's codex connection, from the runtime's own state (no request is sent): Healthy when
/// connected (with the codex version), Degraded while it is not connected yet or is being restarted after a crash,
/// Unhealthy when it stopped or crashed for good. Registered by <c>AddCodexRuntime().AddHealthChecks()</c>.
/// </summary>
/// <param name="client">The client whose connection is checked.</param>
public sealed class CodexRuntimeHealthCheck(CodexClient client) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        CodexConnectionState connection;
        try
        {
            connection = client.Runtime.State.Connection;
        }
        catch (ObjectDisposedException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The codex client was disposed."));
        }

        var data = new Dictionary<string, object>
        {
            ["status"] = connection.Status.ToString(),
            ["restarts"] = connection.Restarts,
        };
        if (connection.Server?.Version is { } version)
        {
            data["version"] = version.ToString();
        }

        if (connection.ProcessId is { } processId)
        {
            data["processId"] = processId;
        }

        var failure = context.Registration.FailureStatus;
        return Task.FromResult(connection.Status switch
        {
            CodexConnectionStatus.Connected => HealthCheckResult.Healthy($"codex {connection.Server?.Version?.ToString() ?? connection.Server?.UserAgent} is connected.", data),
            CodexConnectionStatus.NotStarted => HealthCheckResult.Degraded("codex is not connected yet: it connects on first use (or at host start with WithHostedService).", data: data),
            CodexConnectionStatus.Starting => HealthCheckResult.Degraded("codex is starting.", data: data),
            CodexConnectionStatus.Restarting => HealthCheckResult.Degraded($"codex crashed and is being restarted (restart {connection.Restarts}).", data: data),
            CodexConnectionStatus.Faulted => new HealthCheckResult(failure, $"codex crashed and was not restarted: {connection.LastDisconnect}", data: data),
            _ => new HealthCheckResult(failure, $"codex is {connection.Status.ToString().ToLowerInvariant()}.", data: data),
        });
    }
}
