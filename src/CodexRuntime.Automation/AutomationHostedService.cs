using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Automation;

/// <summary>
/// Runs one registered automation for the host's lifetime: prepares its session from the named client (resuming the
/// stored thread when there is one), starts it, and at host stop stops it (interrupting a turn in flight) and lets
/// the session go without archiving, so the next start resumes the same thread. When another process owns the name on
/// the state store, it stands by (<see cref="AutomationState.Standby"/>) and takes over once the owner lets go.
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
        var clock = options.TimeProvider ?? services.GetService<TimeProvider>() ?? TimeProvider.System;
        CodexSession? session = null;
        AutomationHandle? handle = null;
        try
        {
            var client = string.IsNullOrEmpty(definition.ClientName)
                ? services.GetRequiredService<CodexClient>()
                : services.GetRequiredKeyedService<CodexClient>(definition.ClientName);
            AutomationOwner? standingBy = null;
            while (handle is null)
            {
                try
                {
                    session = await PrepareSessionAsync(client, options, logger, stoppingToken).ConfigureAwait(false);
                    handle = await CodexAutomation.StartAsync(
                        session,
                        definition.Spec,
                        new AutomationOptions
                        {
                            Name = definition.Name,
                            StateStore = options.StateStore,
                            RunHistoryLimit = options.RunHistoryLimit,
                            RunHistoryMaxAge = options.RunHistoryMaxAge,
                            TimeProvider = clock,
                            LoggerFactory = loggerFactory,
                            MeterFactory = services.GetService<IMeterFactory>(),
                        },
                        stoppingToken).ConfigureAwait(false);
                }
                catch (AutomationOwnedException owned)
                {
                    // Another replica runs it: stand by instead of failing, so this host takes over when that one goes.
                    if (session is not null)
                    {
                        await session.DisposeAsync().ConfigureAwait(false);
                        session = null;
                    }

                    registry.Standby(definition.Name, owned);
                    if (standingBy is null || standingBy != owned.Owner)
                    {
                        AutomationHostingLog.StandingBy(logger, definition.Name, owned.Owner?.ToString() ?? "an owner that has not recorded itself yet", options.StandbyPollInterval.TotalSeconds);
                    }

                    standingBy = owned.Owner ?? standingBy;
                    // An OS file lock has no event another process could await: polling is the only way to learn it was let go.
                    await Task.Delay(options.StandbyPollInterval, clock, stoppingToken).ConfigureAwait(false);
                }
            }

            if (standingBy is not null)
            {
                AutomationHostingLog.TookOver(logger, definition.Name, standingBy.ToString());
            }

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

    /// <summary>
    /// Opens the automation's session, resuming the thread its checkpoint names. With a state store the name is owned
    /// while the checkpoint is read and the session opens (refused with <see cref="AutomationOwnedException"/> when
    /// another process runs the automation), so a standby replica opens no session and reads no checkpoint that the
    /// owner is still writing. The probe is let go just before the automation takes the name itself; losing that
    /// short race is a refusal like any other.
    /// </summary>
    private async Task<CodexSession> PrepareSessionAsync(CodexClient client, AutomationHostOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (options.StateStore is not { } store)
        {
            return await OpenSessionAsync(client, options.Session!, null, logger, cancellationToken).ConfigureAwait(false);
        }

        var probe = await store.AcquireAsync(definition.Name, cancellationToken).ConfigureAwait(false);
        await using (probe.ConfigureAwait(false))
        {
            var checkpoint = await store.LoadAsync(definition.Name, cancellationToken).ConfigureAwait(false);
            return await OpenSessionAsync(client, options.Session!, checkpoint?.ThreadId, logger, cancellationToken).ConfigureAwait(false);
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
