using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using CodexRuntime.Automation;
using CodexRuntime.Automation.Tests.Support;
using CodexRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CodexRuntime.Automation.Tests.Hosting;

/// <summary>
/// <c>AddCodexRuntime(name).AddAutomation(...)</c> in a Generic Host, on the scripted app-server and a fake clock:
/// the session comes from the named client, the status from DI, host stop interrupts the turn in flight, and a
/// restarted host resumes the stored thread and owes the interrupted run.
/// </summary>
public sealed class HostedAutomationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = ScriptedCodex.Start;
    private static readonly TimeSpan Deadline = ScriptedCodex.Deadline;
    private readonly ScriptedAppServer _server = new();
    private readonly FakeTimeProvider _clock = new(T);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("codex-automation-host-");
    private ScriptedTurns _turns = null!;
    private int _archives;

    public Task InitializeAsync()
    {
        _turns = new ScriptedTurns(_server);
        _server.Handle("turn/interrupt", null);
        _server.Handle("thread/archive", _ =>
        {
            Interlocked.Increment(ref _archives);
            return new JsonObject();
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Host_stop_interrupts_the_turn_and_a_restarted_host_resumes_the_thread_and_runs_the_owed_run()
    {
        var spec = new AutomationSpec { Prompt = "nightly report", Every = TimeSpan.FromSeconds(10) };
        string threadId;
        using (var host = Build(spec))
        {
            await host.StartAsync().WaitAsync(Deadline);
            var automations = host.Services.GetRequiredService<CodexAutomations>();
            var handle = await automations.WaitForHandleAsync("nightly").WaitAsync(Deadline);
            await (await _turns.NextAsync()).CompleteAsync("report 1");
            await handle.WaitForRunAsync(1);
            var status = automations.GetStatus("nightly");
            Assert.Equal((AutomationState.Waiting, 1, T.AddSeconds(10)), (status.State, status.RunsCompleted, status.NextDueAt));
            Assert.Equal(["nightly"], automations.Names);
            threadId = status.ThreadId!;

            _clock.Advance(TimeSpan.FromSeconds(10));
            var inFlight = await _turns.NextAsync();
            var stopping = host.StopAsync();
            var interrupt = await _server.ReadRequestAsync("turn/interrupt");
            Assert.Equal(inFlight.TurnId, (string?)interrupt.Params?["turnId"]);
            await interrupt.RespondAsync(new JsonObject());
            await inFlight.InterruptedAsync();
            await stopping.WaitAsync(Deadline);

            Assert.Equal(AutomationState.Stopped, automations.GetStatus("nightly").State);
            Assert.IsType<CodexRunInterruptedException>((await handle.WaitForRunAsync(2)).Error);
            // Disposed, not archived: the thread stays for the next start.
            Assert.Equal(0, Volatile.Read(ref _archives));
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
        using (var host = Build(spec))
        {
            await host.StartAsync().WaitAsync(Deadline);
            var automations = host.Services.GetRequiredService<CodexAutomations>();
            var handle = await automations.WaitForHandleAsync("nightly").WaitAsync(Deadline);
            var owed = await _turns.NextAsync();
            await owed.CompleteAsync("report 2");
            var run = await handle.WaitForRunAsync(1);

            Assert.Equal(threadId, owed.ThreadId);
            Assert.Equal(threadId, automations.GetStatus("nightly").ThreadId);
            Assert.Equal((2, T.AddSeconds(10), T.AddSeconds(11)), (run.Number, run.DueAt, run.StartedAt));
            Assert.Equal(2, automations.GetStatus("nightly").RunsCompleted);
            Assert.Equal(3, _turns.Count);
            await host.StopAsync().WaitAsync(Deadline);
        }
    }

    [Fact]
    public async Task Runs_failures_duration_and_lateness_are_measured_through_the_hosts_meter_factory()
    {
        using var host = Build(new AutomationSpec { Prompt = "measure", Every = TimeSpan.FromSeconds(10) });
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var measured = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "CodexRuntime.Automation" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (measured)
            {
                measured.Add((instrument.Name, value, new Dictionary<string, object?>(tags.ToArray())));
            }
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        await host.StartAsync().WaitAsync(Deadline);
        var handle = await host.Services.GetRequiredService<CodexAutomations>().WaitForHandleAsync("nightly").WaitAsync(Deadline);
        var first = await _turns.NextAsync();
        _clock.Advance(TimeSpan.FromSeconds(2));
        await first.CompleteAsync();
        await handle.WaitForRunAsync(1);
        _clock.Advance(TimeSpan.FromSeconds(13));   // due at 10 s, starts at 15 s: 5 s late
        await (await _turns.NextAsync()).FailAsync();
        await handle.WaitForRunAsync(2);
        await host.StopAsync().WaitAsync(Deadline);

        lock (measured)
        {
            Assert.All(measured, m => Assert.Equal("nightly", m.Tags["automation"]));
            Assert.Equal(["completed", "failed"], measured.Where(m => m.Instrument == "codex.automation.runs").Select(m => (string?)m.Tags["outcome"]));
            Assert.Single(measured, m => m.Instrument == "codex.automation.failures");
            Assert.Equal([2.0, 0.0], measured.Where(m => m.Instrument == "codex.automation.run.duration").Select(m => m.Value));
            Assert.Equal([0.0, 5.0], measured.Where(m => m.Instrument == "codex.automation.lateness").Select(m => m.Value));
        }
    }

    [Fact]
    public async Task A_missing_session_fails_host_start_naming_the_automation_and_the_setting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddCodexRuntime(o => _server.Attach(o)).AddAutomation("nightly", new AutomationSpec { Prompt = "p", Every = TimeSpan.FromHours(1) }, _ => { });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(Deadline));

        Assert.Contains("Automation 'nightly': AutomationHostOptions.Session is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_refuses_a_taken_name_and_a_spec_without_exactly_one_schedule()
    {
        var services = new ServiceCollection();
        var builder = services.AddCodexRuntime();
        builder.AddAutomation("nightly", new AutomationSpec { Prompt = "p", Every = TimeSpan.FromHours(1) }, o => o.Session = new SessionConfig(Path.GetTempPath()));

        var taken = Assert.Throws<ArgumentException>(() => builder.AddAutomation("nightly", new AutomationSpec { Prompt = "p", Every = TimeSpan.FromHours(1) }, _ => { }));
        var shapeless = Assert.Throws<ArgumentException>(() => builder.AddAutomation("other", new AutomationSpec { Prompt = "p" }, _ => { }));

        Assert.Contains("'nightly' is already registered", taken.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one of Every", shapeless.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"\uD800", "unpaired surrogate (U+D800 at index 0)")]
    [InlineData(@"x\uDFFF", "unpaired surrogate (U+DFFF at index 1)")]
    [InlineData("257", "the longest name is 256")]
    public void Registration_refuses_a_name_that_is_not_valid_unicode_or_too_long(string name, string said)
    {
        // Unescaped here: xUnit's discovery turns a lone surrogate in theory data into U+FFFD.
        name = name == "257" ? new string('n', AutomationOptions.MaxNameLength + 1) : System.Text.RegularExpressions.Regex.Unescape(name);
        var builder = new ServiceCollection().AddCodexRuntime();

        var error = Assert.Throws<ArgumentException>(() => builder.AddAutomation(name, new AutomationSpec { Prompt = "p", Every = TimeSpan.FromHours(1) }, o => o.Session = new SessionConfig(Path.GetTempPath())));

        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }

    private IHost Build(AutomationSpec spec)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // A named client: the automation must take its session from it (no default client is registered).
        builder.Services.AddCodexRuntime("ops", o => _server.Attach(o)).AddAutomation("nightly", spec, o =>
        {
            o.Session = new SessionConfig(Path.GetTempPath());
            o.StateStore = new JsonFileAutomationStateStore(_folder.FullName);
            o.TimeProvider = _clock;
        });
        return builder.Build();
    }
}
