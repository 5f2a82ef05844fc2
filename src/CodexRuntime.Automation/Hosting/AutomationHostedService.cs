using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Automation.Hosting;

/// <summary>
/// Runs one registered automation for the host's lifetime: prepares its session from the named client (resuming the
/// stored thread when there is one), starts it, and at host stop stops it (interrupting a turn in flight) and lets
/// the session go without archiving, so the next start resumes the same thread.
/// </summary>
internal sealed class AutomationHostedService(AutomationDefinition definition, IServiceProvider services) : BackgroundService
{
    // Bounds the wait for an interrupted turn to end at host stop (codex confirms an interrupt well within a second).
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var registry = services.GetRequiredService<CodexAutomations>();
        var options = services.GetRequiredService<IOptionsMonitor<AutomationHostOptions>>().Get(definition.Name);
        var loggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("CodexRuntime.Automation.Hosting");
        CodexSession? session = null;
        AutomationHandle? handle = null;
        try
        {
            var client = string.IsNullOrEmpty(definition.ClientName)
                ? services.GetRequiredService<CodexClient>()
                : services.GetRequiredKeyedService<CodexClient>(definition.ClientName);
            var checkpoint = options.StateStore is null ? null : await options.StateStore.LoadAsync(definition.Name, stoppingToken).ConfigureAwait(false);
            session = await OpenSessionAsync(client, options.Session!, checkpoint?.ThreadId, logger, stoppingToken).ConfigureAwait(false);
            handle = await CodexAutomation.StartAsync(
                session,
                definition.Spec,
                new AutomationOptions
                {
                    Name = definition.Name,
                    StateStore = options.StateStore,
                    TimeProvider = options.TimeProvider ?? services.GetService<TimeProvider>(),
                    LoggerFactory = loggerFactory,
                    MeterFactory = services.GetService<IMeterFactory>(),
                },
                stoppingToken).ConfigureAwait(false);
            registry.Started(definition.Name, handle);
            await handle.Completion.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stop: handled below.
        }
        catch (Exception ex)
        {
            // Never crash the host once running: the failure is the automation's status.
            AutomationHostingLog.StartFailed(logger, ex, definition.Name);
            registry.Failed(definition.Name, ex);
        }
        finally
        {
            await LetGoAsync(handle, session, logger).ConfigureAwait(false);
        }
    }

    private async Task<CodexSession> OpenSessionAsync(CodexClient client, SessionConfig config, string? storedThreadId, ILogger logger, CancellationToken cancellationToken)
    {
        if (storedThreadId is null)
        {
            return await client.StartSessionAsync(config, cancellationToken).ConfigureAwait(false);
        }

        AutomationHostingLog.Resuming(logger, definition.Name, storedThreadId);
        try
        {
            return await client.ResumeSessionAsync(storedThreadId, config, cancellationToken).ConfigureAwait(false);
        }
        catch (CodexThreadNotFoundException ex)
        {
            // Archived or deleted outside the automation: the schedule (and its count) still holds, on a new thread; logged, and visible as the new ThreadId.
            AutomationHostingLog.ThreadGone(logger, definition.Name, storedThreadId, ex.Message);
            return await client.StartSessionAsync(config, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task LetGoAsync(AutomationHandle? handle, CodexSession? session, ILogger logger)
    {
        if (handle is not null)
        {
            if (!handle.Completion.IsCompleted)
            {
                using var bound = new CancellationTokenSource(StopWait);
                try
                {
                    await handle.StopAsync(bound.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    AutomationHostingLog.StopTimedOut(logger, definition.Name, StopWait.TotalSeconds);
                }
            }

            await handle.DisposeAsync().ConfigureAwait(false);
        }

        if (session is not null)
        {
            // Not CloseAsync: archiving would end the thread a restarted host resumes.
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
