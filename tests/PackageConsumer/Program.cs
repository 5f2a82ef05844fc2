// A consumer of the packed packages: an ASP.NET Core app that references CodexRuntime, .Web, .Automation, .Artifact
// and .Testing only as PackageReferences from a local feed, and uses only their root namespaces. Against
// FakeModelServer (offline) it completes one web turn over real HTTP and SSE, one automation run and one artifact task,
// then stops the host and checks that no codex process is left. One line per step; exit code 0 only when all passed.
//
// Usage (docs/packaging.md, "The consumer check"):
//   dotnet run --project tests/PackageConsumer -p:CodexRuntimeVersion=<version> [-- --work <folder>]
// codex comes from CODEX_CLI_PATH (build/install-codex.sh prints the path), else PATH.
using System.Reflection;
using System.Text.Json.Nodes;
using CodexRuntime;
using CodexRuntime.Artifact;
using CodexRuntime.Automation;
using CodexRuntime.Testing;
using CodexRuntime.Web;

// Every wait has its own deadline: a consumer that hangs in CI is worse than one that fails.
var stepDeadline = TimeSpan.FromSeconds(60);
const string WebPrompt = "Say hello to the package consumer.";
const string WebAnswer = "Hello from the packages.";
const string AutomationName = "consumer-check";
const string AutomationPrompt = "Is the build green? Answer in one sentence.";
const string AutomationAnswer = "The build is green.";
const string ArtifactTitle = "Consumer notes";

// The caller (the packaging test) may name the folder for CODEX_HOME, the workspace and the artifact store, so it can
// look for codex processes that still point into it after this process ended.
var workIndex = Array.IndexOf(args, "--work");
var ownWork = workIndex < 0;
var work = ownWork ? Directory.CreateTempSubdirectory("codexruntime-consumer-").FullName : Directory.CreateDirectory(args[workIndex + 1]).FullName;
var workspace = Directory.CreateDirectory(Path.Combine(work, "workspace")).FullName;

var step = "start";
try
{
    var core = typeof(CodexClient).Assembly;
    Console.WriteLine($"packages: CodexRuntime {core.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion} from {core.Location}");

    // The model side: one route per kind of prompt (the three run at once, in no fixed order), and a fallback for
    // anything else codex asks, so an extra request never fails a turn.
    await using var model = FakeModelServer.Start()
        .When(r => r.LastUserText == WebPrompt, FakeModelResponse.Text(WebAnswer))
        .When(r => r.LastUserText == AutomationPrompt, FakeModelResponse.Text(AutomationAnswer))
        .When(r => r.Body.Contains("documentation engine", StringComparison.Ordinal),
            FakeModelResponse.Text(new JsonObject { ["format"] = "markdown", ["title"] = ArtifactTitle, ["text"] = "# Consumer notes\n\nBuilt from the packages.\n" }.ToJsonString()))
        .Otherwise(r => FakeModelResponse.Text($"(offline) you said: {r.LastUserText}"));
    using var home = TemporaryCodexHome.Create(model, parentDirectory: work);

    // The development tenant needs the Development environment (docs/web.md, "Authorization").
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, EnvironmentName = Environments.Development });
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddCodexRuntime(config =>
        {
            config.DefaultProfile.Timeout = stepDeadline;
            home.ApplyTo(config);
        })
        .AddWeb(options =>
        {
            options.Adapter.Cwd = workspace;
            options.RequireAuthorization = false;
            options.DevelopmentTenant = "dev";
        })
        .AddAutomation(AutomationName,
            new AutomationSpec { Prompt = AutomationPrompt, Every = TimeSpan.FromHours(1), MaxRuns = 1 },   // first run due at once
            options => options.Session = new SessionConfig(workspace))
        .AddArtifacts(options => options.Root = Path.Combine(work, "artifacts"));

    var app = builder.Build();
    app.MapCodexRuntime("/codex");
    int? codexPid;
    await using (app)
    {
        step = "host start";
        await app.StartAsync().WaitAsync(stepDeadline);
        var baseUrl = app.Urls.First();
        Console.WriteLine($"host: listening on {baseUrl}, model {model.BaseUrl}");

        step = "web turn";
        using (var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan })
        {
            using var deadline = new CancellationTokenSource(stepDeadline);
            var session = await PostAsync(http, "/codex/sessions", new JsonObject { ["artifactId"] = "consumer-chat" }, deadline.Token);
            var sessionId = (string)session["sessionId"]!;
            var turn = await PostAsync(http, $"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = WebPrompt }, deadline.Token);
            var completed = await ReadUntilTurnCompletedAsync(http, $"/codex/sessions/{sessionId}/events", deadline.Token);
            var (status, text) = ((string?)completed["status"], (string?)completed["text"]);
            if (status != "completed" || text != WebAnswer)
            {
                throw new InvalidOperationException($"the web turn ended {status} with \"{text}\", expected completed with \"{WebAnswer}\".");
            }

            Console.WriteLine($"web: session {sessionId} turn {(string)turn["turnId"]!} completed: \"{text}\"");
        }

        step = "automation run";
        var automations = app.Services.GetRequiredService<CodexAutomations>();
        var handle = await automations.WaitForHandleAsync(AutomationName).WaitAsync(stepDeadline);
        var final = await handle.Completion.WaitAsync(stepDeadline);   // MaxRuns = 1: ends Stopped after its run
        var runs = new List<AutomationRun>();
        using var runsDeadline = new CancellationTokenSource(stepDeadline);
        await foreach (var run in handle.ReadRunsAsync(runsDeadline.Token))
        {
            runs.Add(run);
        }

        if (final.State != AutomationState.Stopped || final.RunsCompleted != 1 || runs.Count != 1 || runs[0].Result?.Text != AutomationAnswer)
        {
            throw new InvalidOperationException($"the automation ended {final.State} after {final.RunsCompleted} run(s) ({final.LastError}); runs: "
                + string.Join("; ", runs.Select(r => $"{r.Number} {r.Outcome} \"{r.Result?.Text ?? r.Error?.Message}\"")));
        }

        Console.WriteLine($"automation: {AutomationName} run {runs[0].Number} completed: \"{runs[0].Result!.Text}\" ({final.State})");

        step = "artifact task";
        var artifacts = app.Services.GetRequiredService<ArtifactSessionManager>();
        var generated = (DocGenerateResult)await artifacts.RunTaskAsync(
            new ArtifactTaskSpec("consumer-notes", ArtifactTaskKind.DocGenerate, "Write a short note about this consumer.")).WaitAsync(stepDeadline);
        if (generated.Title != ArtifactTitle)
        {
            throw new InvalidOperationException($"the artifact task saved \"{generated.Title}\", expected \"{ArtifactTitle}\".");
        }

        Console.WriteLine($"artifact: consumer-notes generated revision {generated.Revision} \"{generated.Title}\"");

        step = "host stop";
        codexPid = app.Services.GetRequiredService<CodexClient>().ProcessId;
        await app.StopAsync().WaitAsync(stepDeadline);
    }

    // The host is stopped and disposed (the client with it): its codex, and anything codex started, must be gone.
    step = "process check";
    if (codexPid is null)
    {
        throw new InvalidOperationException("the client had no codex process before the stop.");
    }

    var left = ProcessProbe.GetDescendants(Environment.ProcessId);
    if (ProcessProbe.IsRunning(codexPid.Value) || left.Count > 0)
    {
        throw new InvalidOperationException($"codex process {codexPid} running: {ProcessProbe.IsRunning(codexPid.Value)}; child processes left: {string.Join(", ", left)}.");
    }

    Console.WriteLine($"stopped: codex process {codexPid} gone, no child process left");
    Console.WriteLine("PackageConsumer: all steps passed");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"PackageConsumer: FAILED at {step}: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    if (ownWork)
    {
        Directory.Delete(work, recursive: true);
    }
}

static async Task<JsonNode> PostAsync(HttpClient http, string path, JsonObject body, CancellationToken cancellationToken)
{
    using var content = new StringContent(body.ToJsonString(), null, "application/json");
    using var response = await http.PostAsync(path, content, cancellationToken);
    var text = await response.Content.ReadAsStringAsync(cancellationToken);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
    }

    return JsonNode.Parse(text)!;
}

// Reads the session's Server-Sent Events until turnCompleted and returns that event's data.
static async Task<JsonNode> ReadUntilTurnCompletedAsync(HttpClient http, string path, CancellationToken cancellationToken)
{
    using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    response.EnsureSuccessStatusCode();
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
    var eventType = "";
    while (await reader.ReadLineAsync(cancellationToken) is { } line)
    {
        if (line.StartsWith("event:", StringComparison.Ordinal))
        {
            eventType = line["event:".Length..].Trim();
        }
        else if (line.StartsWith("data:", StringComparison.Ordinal) && eventType == "turnCompleted")
        {
            return JsonNode.Parse(line["data:".Length..])!;
        }
        else if (line.Length == 0)
        {
            eventType = "";
        }
    }

    throw new InvalidOperationException($"the event stream {path} ended before the turn completed.");
}
