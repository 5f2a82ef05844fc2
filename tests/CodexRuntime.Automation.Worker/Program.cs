// One of several processes starting the same automation on one JSON state store (OwnershipTests).
// Usage: CodexRuntime.Automation.Worker <store folder> <name> <interval ms> <max runs> <crash after N own runs> <barrier folder> <workers> [hosted]
// The workers start the automation together: each marks itself ready in the barrier folder once its session is open
// (hosted: once its host is built) and waits until all have (so the race for the name is real, not decided by which
// process loaded faster). Without "hosted" the worker calls CodexAutomation.StartAsync and retries a refusal itself;
// with it, a Generic Host runs the automation through AddAutomation, whose hosted service stands by on its own.
// Codex is the in-memory ScriptedAppServer, which completes every turn at once. Prints, one line each:
//   REFUSED <owner>        a start was refused (it retries every 25 ms until its deadline)
//   STANDBY                hosted: the hosted service logged that another process owns the name
//   OWNER                  this process owns the name and runs the automation
//   TURN                   the server received a turn/start (what codex would run)
//   RUN <number> <due> <succeeded>
//   END <state> <runs>     the automation ended
// After its N-th own run, unless that run was the last, the process exits at once: a crash (no stop, nothing released;
// hosted: the process kills itself, so the host's shutdown never runs).
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CodexRuntime;
using CodexRuntime.Automation;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var store = new JsonFileAutomationStateStore(args[0]);
var name = args[1];
var every = TimeSpan.FromMilliseconds(int.Parse(args[2], CultureInfo.InvariantCulture));
var maxRuns = int.Parse(args[3], CultureInfo.InvariantCulture);
var crashAfter = int.Parse(args[4], CultureInfo.InvariantCulture);
var barrier = args[5];
var workers = int.Parse(args[6], CultureInfo.InvariantCulture);
var hosted = args.Length > 7 && args[7] == "hosted";
var output = TextWriter.Synchronized(Console.Out);

// Never set: the process ends while a turn/start of the run after the crash waits on it.
using var crashing = new ManualResetEventSlim();
await using var server = new ScriptedAppServer();
var turns = 0;
server.Handle("turn/start", request =>
{
    var number = Interlocked.Increment(ref turns);
    if (number == crashAfter + 1)
    {
        // The crash comes between runs: the next run's turn must not reach codex before the reader below (told of the
        // previous run asynchronously, a late run's successor can start at once) ends the process. Bounded.
        crashing.Wait(TimeSpan.FromSeconds(60));
        throw new TimeoutException("The worker did not crash after its runs.");
    }

    var turnId = $"turn-{number}";
    var threadId = (string)request.Params!["threadId"]!;
    output.WriteLine("TURN");
    // Completed as soon as the response is on its way (the runtime accepts turn/completed before the response).
    _ = Task.Run(async () =>
    {
        var item = new JsonObject { ["type"] = "agentMessage", ["id"] = $"msg-{turnId}", ["text"] = "done" };
        await server.NotifyAsync("item/completed", new JsonObject { ["threadId"] = threadId, ["turnId"] = turnId, ["item"] = item });
        await server.NotifyAsync("turn/completed", new JsonObject { ["threadId"] = threadId, ["turn"] = Turn(turnId, "completed") });
    });
    return new JsonObject { ["turn"] = Turn(turnId, "inProgress") };
});

var spec = new AutomationSpec { Prompt = "check", Every = every, MaxRuns = maxRuns };
var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
AutomationHandle automation;
IHost? host = null;
CodexClient? client = null;
CodexSession? session = null;
if (hosted)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    // Event 164: the hosted service stands by because another process owns the name.
    builder.Logging.AddProvider(new LogEventSignal(164, () => output.WriteLine("STANDBY")));
    builder.Services.AddCodexRuntime(o => server.Attach(o)).AddAutomation(name, spec, o =>
    {
        o.Session = new SessionConfig(Path.GetTempPath());
        o.StateStore = store;
        o.StandbyPollInterval = TimeSpan.FromMilliseconds(25);
    });
    host = builder.Build();
    await ArriveAsync();
    await host.StartAsync();
    automation = await host.Services.GetRequiredService<CodexAutomations>().WaitForHandleAsync(name).WaitAsync(deadline - DateTimeOffset.UtcNow);
}
else
{
    client = new CodexClient(server.Attach(new ClientConfig()));
    session = await client.StartSessionAsync(new SessionConfig(Path.GetTempPath()));
    await ArriveAsync();
    while (true)
    {
        try
        {
            automation = await CodexAutomation.StartAsync(session, spec, new AutomationOptions { Name = name, StateStore = store });
            break;
        }
        catch (AutomationOwnedException refused) when (DateTimeOffset.UtcNow < deadline)
        {
            // The only place that polls: a standby replica waiting for the owner to go away.
            output.WriteLine($"REFUSED {refused.Owner}");
            await Task.Delay(25);
        }
    }
}

output.WriteLine("OWNER");
var own = 0;
await foreach (var run in automation.ReadRunsAsync())
{
    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RUN {run.Number} {run.DueAt:O} {run.Succeeded}"));
    if (++own == crashAfter && run.Number < maxRuns)
    {
        output.Flush();
        if (hosted)
        {
            // Environment.Exit would run the host's graceful stop; a kill leaves everything as a crash does.
            Process.GetCurrentProcess().Kill();
        }

        Environment.Exit(3);
    }
}

var status = await automation.Completion;
output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"END {status.State} {status.RunsCompleted}"));
await automation.DisposeAsync();
if (host is not null)
{
    await host.StopAsync();
    host.Dispose();
}

if (session is not null)
{
    await session.DisposeAsync();
}

if (client is not null)
{
    await client.DisposeAsync();
}

return 0;

async Task ArriveAsync()
{
    Directory.CreateDirectory(barrier);
    await File.WriteAllTextAsync(Path.Combine(barrier, $"ready-{Environment.ProcessId}"), "");
    while (Directory.GetFiles(barrier, "ready-*").Length < workers)
    {
        // Another process, so there is no event to await; bounded by the deadline.
        if (DateTimeOffset.UtcNow > deadline)
        {
            throw new TimeoutException($"Only {Directory.GetFiles(barrier, "ready-*").Length} of {workers} workers became ready.");
        }

        await Task.Delay(10);
    }
}

static JsonObject Turn(string turnId, string status) =>
    new() { ["id"] = turnId, ["items"] = new JsonArray(), ["status"] = status, ["error"] = null };
