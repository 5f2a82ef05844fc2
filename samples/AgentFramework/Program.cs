// codex in the Microsoft Agent Framework and Microsoft.Extensions.AI (CodexRuntime.AI):
//   1. A sequential workflow of two codex agents: a writer creates a file, a reviewer reads it and reviews it. Each
//      agent is a CodexAgent, its session a codex thread; the reviewer gets the conversation so far.
//   2. GetResponseAsync<T>: a typed answer through codex's output schema.
// By default codex talks to CodexRuntime.Testing's FakeModelServer (offline); --real uses your own codex login.
//
// Usage: dotnet run --project samples/AgentFramework [-- --real]
using System.Text.Json;
using System.Text.Json.Serialization;
using CodexRuntime;
using CodexRuntime.AI;
using CodexRuntime.Testing;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;

var real = args.Contains("--real");
var workspace = Directory.CreateTempSubdirectory("codex-agents-");   // the agents write here, not in your folder
var config = new ClientConfig();   // codex from CODEX_CLI_PATH, else PATH
// Read-only sandbox: codex asks before it writes. The profile's handler answers (no round trip through the agents):
// file changes yes, anything else no.
var profile = new RunProfile
{
    ApprovalPolicy = CodexApprovalPolicy.OnRequest,
    Approvals = CodexApprovalHandler.Ask((request, _) => ValueTask.FromResult(
        request.Kind == CodexApprovalKind.FileChange ? CodexApprovalDecision.Accept : CodexApprovalDecision.Decline)),
    Timeout = TimeSpan.FromSeconds(120),
};

await using var model = real ? null : FakeModelServer.Start();
using var home = model is null ? null : TemporaryCodexHome.Create(model, approvalPolicy: "on-request");
if (model is not null && home is not null)
{
    // One scripted answer per model call, in order: the writer's patch and reply, the reviewer's command and its
    // review of what the command printed, then the typed answer.
    model.Enqueue(
        FakeModelResponse.AddFile("haiku.txt", "codex writes a file\nanother agent reads it back\nthe review is kind"),
        FakeModelResponse.Text("I wrote haiku.txt."),
        FakeModelResponse.ExecCommand("cat haiku.txt"),
        FakeModelResponse.FromRequest("review of the file", request => FakeModelResponse.Text(
            request.CommandOutputs.Any(output => output.Contains("the review is kind", StringComparison.Ordinal))
                ? "Review: three lines, 5-7-5, approved."
                : "Review: I could not read haiku.txt.")),
        FakeModelResponse.Text("""{"title":"codex writes a file","lines":3}"""));
    home.ApplyTo(config.Runtime.Process);   // CODEX_HOME points at the fake model; HOME is an empty folder
}

Console.WriteLine(model is null
    ? "model: the real model, with your codex login (~/.codex or CODEX_HOME)"
    : $"model: FakeModelServer at {model.BaseUrl} (offline: nothing leaves this machine)");
try
{
    await using var client = new CodexClient(config);
    await using var chat = new CodexChatClient(client, new SessionConfig(workspace.FullName, profile));

    // 1. Two agents in a sequential workflow.
    var writer = new CodexAgent(chat, name: "writer", instructions: "You write files in the working folder.");
    var reviewer = new CodexAgent(chat, name: "reviewer", instructions: "You review the files the writer made. Read them first.");
    var workflow = AgentWorkflowBuilder.BuildSequential(writer, reviewer);
    await using var run = await InProcessExecution.RunStreamingAsync(workflow, new List<ChatMessage> { new(ChatRole.User, "Write a haiku about codex into haiku.txt.") });
    await run.TrySendMessageAsync(new TurnToken(emitEvents: true));
    var said = new List<(string Agent, string Text)>();
    await foreach (var e in run.WatchStreamAsync())
    {
        switch (e)
        {
            case AgentResponseUpdateEvent { Update: var update }:
                foreach (var call in update.Contents.OfType<FunctionCallContent>())
                {
                    // codex's own tool use: shown, never run again (InformationalOnly).
                    var arguments = call.Arguments ?? new Dictionary<string, object?>();
                    var what = arguments.TryGetValue("command", out var command) ? command : string.Join(", ", arguments.TryGetValue("paths", out var paths) ? paths as string[] ?? [] : []);
                    Console.WriteLine($"{update.AuthorName}: codex used {call.Name} ({what}), informational: {call.InformationalOnly}");
                }

                if (update.Text.Length > 0)
                {
                    said.Add((update.AuthorName ?? "agent", update.Text));
                }

                break;
            case WorkflowErrorEvent or ExecutorFailedEvent:
                throw new InvalidOperationException($"The workflow failed: {e.Data}");
        }
    }

    foreach (var agent in said.Select(s => s.Agent).Distinct())
    {
        Console.WriteLine($"{agent} said: {string.Concat(said.Where(s => s.Agent == agent).Select(s => s.Text))}");
    }

    Console.WriteLine($"haiku.txt exists: {File.Exists(Path.Combine(workspace.FullName, "haiku.txt"))}");

    // 2. A typed answer: the JSON schema of Poem goes to codex as its output schema.
    var poem = await chat.GetResponseAsync<Poem>("Give the haiku's title and its number of lines.", SampleJson.Default.Options);
    Console.WriteLine($"typed answer: title '{poem.Result.Title}', {poem.Result.Lines} lines");
    return 0;
}
catch (Exception ex) when (ex is CodexException or InvalidOperationException or JsonException)
{
    Console.Error.WriteLine($"AgentFramework failed: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    workspace.Delete(recursive: true);
}

/// <summary>The typed answer of part 2.</summary>
internal sealed record Poem(string Title, int Lines);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Poem))]
internal sealed partial class SampleJson : JsonSerializerContext;
