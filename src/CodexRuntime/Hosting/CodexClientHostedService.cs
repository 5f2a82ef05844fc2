using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// The root namespace: internal registration plumbing of the root layer (it binds ClientConfig and builds CodexClient);
// the file stays in Hosting/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>
/// Connects the clients <c>WithHostedService()</c> named at host start (in call order) and stops them at host stop (in
/// reverse order). One instance serves every client, however often <c>WithHostedService()</c> was called.
/// </summary>
internal sealed class CodexClientHostedService(IServiceProvider services, IOptions<CodexHostedClients> hosted) : IHostedService
{
    private readonly ILogger _logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<CodexClientHostedService>();
    private readonly Stack<(string Name, CodexClient Client)> _started = new();

    /// <summary>Connects each client; when one fails, the ones before it are stopped and the failure is rethrown.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in hosted.Value.Names)
        {
            var client = CodexClientNames.ForLog(name);
            HostingLog.Starting(_logger, client);
            try
            {
                var instance = CodexClientFactory.Resolve(services, name);
                // Pushed before connecting: a half-started process is stopped with the others.
                _started.Push((name, instance));
                await instance.ConnectAsync(cancellationToken).ConfigureAwait(false);
                HostingLog.Started(_logger, client, instance.ProcessId);
            }
            catch (Exception ex)
            {
                HostingLog.StartFailed(_logger, ex, client);
                await StopStartedAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Disposes each started client, which stops its codex process. Not abandoned when <paramref name="cancellationToken"/>
    /// fires: the process's own shutdown timeouts bound the wait, and leaving early could leave a process behind.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var failures = await StopStartedAsync().ConfigureAwait(false);
        if (failures.Count == 1)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }

        if (failures.Count > 1)
        {
            throw new AggregateException("Stopping the codex clients failed.", failures);
        }
    }

    private async Task<List<Exception>> StopStartedAsync()
    {
        var failures = new List<Exception>();
        while (_started.TryPop(out var started))
        {
            var client = CodexClientNames.ForLog(started.Name);
            HostingLog.Stopping(_logger, client);
            try
            {
                await started.Client.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                HostingLog.StopFailed(_logger, ex, client);
                failures.Add(ex);
            }
        }

        return failures;
    }
}
