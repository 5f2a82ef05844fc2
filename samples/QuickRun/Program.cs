// The README demo: starts the real codex app-server against CodexRuntime.Testing's FakeModelServer (a local
// Responses API server, so no account or network is needed), runs one turn, and prints the streamed reply.
using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Rpc;
using CodexRuntime.Testing;
using CodexRuntime.Transport;

var prompt = args.Length > 0 ? string.Join(' ', args) : "Say hello to a .NET developer.";
var timeout = TimeSpan.FromSeconds(60);

await using var model = FakeModelServer.Start();
model.Enqueue(FakeModelResponse.StreamedText(
    ["Hello", " from", " the", " real", " codex", " app-server", ",", " driven", " by", " CodexRuntime", "!"],
    TimeSpan.FromMilliseconds(40)));
using var home = TemporaryCodexHome.Create(model);
var workspace = Directory.CreateTempSubdirectory("codex-demo-");

var binary = CodexBinaryLocator.Locate();
Console.WriteLine($"codex:  {binary.ExecutablePath}");
Console.WriteLine($"model:  FakeModelServer at {model.BaseUrl} (offline: nothing leaves this machine)");

var observer = new RecordingMessageObserver();
await using var connection = await CodexConnection.StartAsync(
    home.ApplyTo(new CodexProcessOptions { ExecutablePath = binary.ExecutablePath, WorkingDirectory = workspace.FullName }),
    observer: observer);
Console.WriteLine($"server: {connection.ServerInfo.UserAgent}");

var thread = await connection.RequestAsync("thread/start", Json(new JsonObject { ["cwd"] = workspace.FullName }));
var threadId = thread.GetProperty("thread").GetProperty("id").GetString()!;
Console.WriteLine($"thread: {threadId}");
Console.WriteLine($"you:    {prompt}");
Console.Write("codex:  ");

await connection.RequestAsync("turn/start", Json(new JsonObject
{
    ["threadId"] = threadId,
    ["input"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = prompt }),
}));

// Print deltas as they stream, until the turn completes.
using var deadline = new CancellationTokenSource(timeout);
await foreach (var message in observer.Live.ReadAllAsync(deadline.Token))
{
    if (message.Method == "item/agentMessage/delta")
    {
        Console.Write(message.Params.GetProperty("delta").GetString());
    }
    else if (message.Method == "turn/completed")
    {
        var status = message.Params.GetProperty("turn").GetProperty("status").GetString();
        Console.WriteLine();
        Console.WriteLine($"turn:   {status}");
        break;
    }
}

workspace.Delete(recursive: true);
return 0;

// Built with JsonNode, not anonymous types: CodexRuntime never needs reflection-based JSON, and neither does this demo.
static JsonElement Json(JsonObject value)
{
    using var document = JsonDocument.Parse(value.ToJsonString());
    return document.RootElement.Clone();
}
