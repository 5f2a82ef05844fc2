using CodexRuntime.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CodexRuntime;

/// <summary>
/// The health of one client's codex connection, from the runtime's own state (no request is sent): Healthy when
/// connected (with the codex version), Degraded while it is not connected yet or is being restarted after a crash,
/// Unhealthy when it stopped or crashed for good. The core depends on the health-check abstractions only: register it
/// with <c>services.AddHealthChecks().Add(CodexRuntimeHealthCheck.Registration())</c>, or in a web app with
/// <c>AddCodexRuntime().AddHealthChecks()</c> (the web package).
/// </summary>
/// <param name="client">The client whose connection is checked.</param>
public sealed class CodexRuntimeHealthCheck(CodexClient client) : IHealthCheck
{
    /// <summary>
    /// The check of a client in DI, named <c>codex</c> (<c>codex-{name}</c> for a named client) and tagged <c>codex</c>,
    /// for <c>IHealthChecksBuilder.Add</c>.
    /// </summary>
    /// <param name="name">The client's name (<see cref="ICodexRuntimeBuilder.Name"/>); empty or null for the default client.</param>
    /// <param name="failureStatus">What a stopped or crashed codex reports; Unhealthy by default.</param>
    /// <returns>The registration.</returns>
    public static HealthCheckRegistration Registration(string? name = null, HealthStatus failureStatus = HealthStatus.Unhealthy) =>
        new(
            string.IsNullOrEmpty(name) ? "codex" : "codex-" + name,
            provider => new CodexRuntimeHealthCheck(string.IsNullOrEmpty(name) ? provider.GetRequiredService<CodexClient>() : provider.GetRequiredKeyedService<CodexClient>(name)),
            failureStatus,
            ["codex"]);

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
