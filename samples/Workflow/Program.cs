// The two simplest layers of CodexRuntime on the real codex app-server:
//   1. Codex.QuickRunAsync: one call starts codex, runs one prompt in a new thread and stops codex again.
//   2. Workflow: one codex process for many runs in one folder. Each RunAsync is a new thread (no memory between
//      runs); StartSessionAsync gives a session whose asks share one thread (memory).
// By default codex talks to CodexRuntime.Testing's FakeModelServer (offline); --real uses your own codex login.
//
// Usage: dotnet run --project samples/Workflow [-- --real]
using CodexRuntime;
using CodexRuntime.Testing;

var real = args.Contains("--real");
var cwd = Environment.CurrentDirectory;
var client = new ClientConfig();   // codex from CODEX_CLI_PATH, else PATH
var profile = new RunProfile { Timeout = TimeSpan.FromSeconds(60) };
string[] runs = ["What is 6 times 7? Just the number.", "Translate 'good morning' into French.", "Name a prime number between 10 and 20."];

await using var model = real ? null : FakeModelServer.Start();
using var home = model is null ? null : TemporaryCodexHome.Create(model);
if (model is not null && home is not null)
{
    // One scripted answer per model call, in order. The last one reads what codex sent: the session's history.
    model.Enqueue(
        FakeModelResponse.Text("Hello from a codex process of its own."),
        FakeModelResponse.Text("42"),
        FakeModelResponse.Text("Bonjour."),
        FakeModelResponse.Text("Thirteen."),
        FakeModelResponse.Text("Noted."),
        FakeModelResponse.FromRequest("answer from the history", request => FakeModelResponse.Text(
            request.Body.Contains("pelican", StringComparison.Ordinal) ? "The code word is pelican." : "You never told me a code word.")));
    home.ApplyTo(client.Runtime.Process);   // CODEX_HOME points at the fake model; HOME is an empty folder
}

Console.WriteLine(model is null
    ? "model: the real model, with your codex login (~/.codex or CODEX_HOME)"
    : $"model: FakeModelServer at {model.BaseUrl} (offline: nothing leaves this machine)");
try
{
    // Layer 1: one call, one process, one thread; the thread is archived and codex stopped before it returns.
    var quick = await Codex.QuickRunAsync(cwd, "Say hello in one sentence.", profile, client);
    Console.WriteLine($"Codex.QuickRunAsync: {quick.Status} -> {quick.Text}");

    // Layer 2: one process for the whole workflow.
    await using var workflow = await Workflow.ConnectAsync(new WorkflowConfig(cwd) { Client = client, Profile = profile });
    foreach (var prompt in runs)
    {
        var result = await workflow.RunAsync(prompt);   // a new thread each time
        Console.WriteLine($"RunAsync [codex pid {workflow.Client.ProcessId}, thread {result.ThreadId}] {prompt} -> {result.Text}");
    }

    await using var session = await workflow.StartSessionAsync();   // one thread: later asks see earlier ones
    foreach (var prompt in new[] { "Remember the code word pelican. Reply with 'Noted.'", "What is the code word?" })
    {
        var answer = await session.AskAsync(prompt);
        Console.WriteLine($"session [codex pid {workflow.Client.ProcessId}, thread {answer.ThreadId}] {prompt} -> {answer.Text}");
    }

    await session.CloseAsync();   // archives the thread; disposing the workflow stops codex
    return 0;
}
catch (Exception ex) when (ex is CodexException or ArgumentException)
{
    Console.Error.WriteLine($"Workflow failed: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
