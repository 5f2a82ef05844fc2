// An automation in a Generic Host: AddAutomation runs one prompt every second on one session (one codex thread), three
// times, keeping its schedule and its run history in a JSON state store. A worker prints each run as it finishes,
// pauses the automation after the first run (no run starts while paused; resuming runs the point that passed), and
// after the last run prints the persisted run history (what a dashboard reads from DI, also after a restart), then
// stops the host.
// By default codex talks to CodexRuntime.Testing's FakeModelServer (offline); --real uses your own codex login.
//
// Usage: dotnet run --project samples/Automation [-- --real]
using CodexRuntime;
using CodexRuntime.Automation;
using CodexRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

var real = args.Contains("--real");
await using var model = real ? null : FakeModelServer.Start().Enqueue(
    FakeModelResponse.Text("Build is green: 42 tests passed."),
    FakeModelResponse.Text("Still green: 42 tests passed, nothing changed since the last check."),
    FakeModelResponse.Text("Green for the third time in a row."));
using var home = model is null ? null : TemporaryCodexHome.Create(model);   // CODEX_HOME points at the fake model; HOME is empty
var workspace = real ? Environment.CurrentDirectory : Directory.CreateTempSubdirectory("codex-automation-").FullName;
// Where the schedule is kept (thread id, runs completed, next due time): a host restarted on it would continue.
var stateFolder = Directory.CreateTempSubdirectory("codex-automation-state-").FullName;

var builder = Host.CreateApplicationBuilder();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft", LogLevel.Warning).AddFilter("CodexRuntime", LogLevel.Error);
builder.Services.AddCodexRuntime(o =>
    {
        o.Runtime.Process.ExecutablePath ??= CodexBinaryLocator.Locate().ExecutablePath;   // CODEX_CLI_PATH, else PATH / the npm install
        o.DefaultProfile.Timeout = TimeSpan.FromSeconds(60);
        home?.ApplyTo(o);
    })
    .AddAutomation(
        "build-watch",
        new AutomationSpec { Prompt = "Is the build green? Answer in one sentence.", Every = TimeSpan.FromSeconds(1), MaxRuns = 3 },
        o =>
        {
            o.Session = new SessionConfig(workspace);
            o.StateStore = new JsonFileAutomationStateStore(stateFolder);
        });
builder.Services.AddHostedService(services => new PrintRuns(
    services.GetRequiredService<CodexAutomations>(),
    services.GetRequiredService<IHostApplicationLifetime>(),
    model is null ? "the real model, with your codex login (~/.codex or CODEX_HOME)" : $"FakeModelServer at {model.BaseUrl} (offline: nothing leaves this machine)"));

using var host = builder.Build();
try
{
    await host.StartAsync();   // validates the options, starts codex, then the automation
    await host.WaitForShutdownAsync();   // PrintRuns stops the host after the last run
    var status = host.Services.GetRequiredService<CodexAutomations>().GetStatus("build-watch");
    Console.WriteLine($"status:   {status.State}, {status.RunsCompleted} runs completed on thread {status.ThreadId}");
    return Environment.ExitCode;
}
catch (Exception ex) when (ex is OptionsValidationException or CodexException or InvalidOperationException)
{
    Console.Error.WriteLine($"Automation failed: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    Directory.Delete(stateFolder, recursive: true);
    if (!real)
    {
        Directory.Delete(workspace, recursive: true);
    }
}

/// <summary>Prints every run of the automation as it finishes, then stops the host when the automation ended.</summary>
internal sealed class PrintRuns(CodexAutomations automations, IHostApplicationLifetime lifetime, string model) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            Console.WriteLine($"model:    {model}");
            var handle = await automations.WaitForHandleAsync("build-watch", stoppingToken);
            Console.WriteLine($"schedule: '{handle.Spec.Prompt}' every {handle.Spec.Every?.TotalSeconds} s, {handle.Spec.MaxRuns} runs");
            await foreach (var run in handle.ReadRunsAsync(stoppingToken))
            {
                var outcome = run.Result?.Text ?? $"failed: {run.Error?.GetType().Name}: {run.Error?.Message}";
                Console.WriteLine($"run {run.Number} [thread {run.Result?.ThreadId ?? handle.Status.ThreadId}] due {run.DueAt:HH:mm:ss.fff}, started {(run.StartedAt - run.DueAt).TotalMilliseconds:0} ms late -> {outcome}");
                if (run.Number == 1)
                {
                    // Kept in the state store: a host restarted now would stay paused until ResumeAsync.
                    await handle.PauseAsync(stoppingToken);
                    Console.WriteLine($"paused:   {handle.Status.State}, the schedule stands at {handle.Status.NextDueAt:HH:mm:ss.fff}");
                    await Task.Delay(TimeSpan.FromSeconds(1.5), stoppingToken);   // a due point passes while paused
                    Console.WriteLine($"after 1.5 s paused: still {handle.Status.RunsCompleted} run completed");
                    await handle.ResumeAsync(stoppingToken);   // the point that passed runs now (MissedRunPolicy.RunOnce)
                    Console.WriteLine($"resumed:  {handle.Status.State}");
                }
            }

            var final = await handle.Completion;
            // The persisted history, newest first: each run's outcome, turn and thread (readable after a restart too).
            var history = await automations.ReadHistoryAsync("build-watch", cancellationToken: stoppingToken);
            foreach (var record in history.Reverse())
            {
                Console.WriteLine($"history:  run {record.Number} {record.Outcome} turn {record.TurnId} thread {record.ThreadId}, {(record.FinishedAt - record.StartedAt).TotalSeconds:0.0} s");
            }

            if (final.State == AutomationState.Failed)
            {
                Console.Error.WriteLine($"Automation failed: {final.LastError}");
                Environment.ExitCode = 1;
            }
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"Automation failed: {ex.Message}");
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
