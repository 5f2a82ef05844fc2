// The README demo (bash build/demo.sh): the real codex app-server runs one streamed turn in a CodexClient session.
// By default codex talks to CodexRuntime.Testing's FakeModelServer on loopback (no account, no network): its script
// makes codex run one harmless command (ls) and then answers with what it saw. --real uses your own codex login.
//
// Usage: dotnet run --project samples/QuickRun [-- [--real] [prompt words...]]
using CodexRuntime;
using CodexRuntime.Errors;
using CodexRuntime.Protocol;
using CodexRuntime.Sessions;
using CodexRuntime.Testing;
using CodexRuntime.Transport;

var real = args.Contains("--real");
var words = args.Where(arg => arg != "--real").ToArray();
var prompt = words.Length > 0 ? string.Join(' ', words) : "What is in the working directory?";

var config = new ClientConfig();
var profile = new RunProfile { Timeout = TimeSpan.FromSeconds(60) };   // every turn has a deadline

await using var model = real ? null : FakeModelServer.Start();
using var home = model is null ? null : TemporaryCodexHome.Create(model);
var workspace = real ? new DirectoryInfo(Environment.CurrentDirectory) : Directory.CreateTempSubdirectory("codex-demo-");
if (model is not null && home is not null)
{
    // Something to list, and the script: run ls, then answer from its output (the model sees what codex ran).
    File.WriteAllText(Path.Combine(workspace.FullName, "notes.txt"), "Remember to water the plants.\n");
    File.WriteAllText(Path.Combine(workspace.FullName, "todo.md"), "- try CodexRuntime\n");
    model.Enqueue(
        FakeModelResponse.ExecCommand("ls"),
        FakeModelResponse.FromRequest("answer with the listing", request =>
        {
            var files = (request.CommandOutputs.LastOrDefault() ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var answer = $"I listed the working directory and saw: {string.Join(", ", files)}.";
            return FakeModelResponse.StreamedText(answer.Split(' ').Select((word, i) => i == 0 ? word : " " + word), TimeSpan.FromMilliseconds(30));
        }));
    home.ApplyTo(config);   // CODEX_HOME points at the fake model; HOME is an empty folder
}

try
{
    config.CliPath = CodexBinaryLocator.Locate().ExecutablePath;   // CODEX_CLI_PATH (build/demo.sh sets it), else PATH
    await using var client = new CodexClient(config);
    await client.ConnectAsync();
    Console.WriteLine($"binary:  {config.CliPath} (codex {client.Runtime.ServerInfo.Version})");
    Console.WriteLine(model is null
        ? "model:   the real model, with your codex login (~/.codex or CODEX_HOME)"
        : $"model:   FakeModelServer at {model.BaseUrl} (offline: nothing leaves this machine)");
    Console.WriteLine($"cwd:     {workspace.FullName}");
    Console.WriteLine($"you:     {prompt}");

    await using var session = await client.StartSessionAsync(new SessionConfig(workspace.FullName, profile));
    await using var turn = await session.AskStreamingAsync(prompt);
    await foreach (var e in turn)
    {
        switch (e)
        {
            case ItemStartedEvent { Item: AgentMessageThreadItem }:
                Console.Write("codex:   ");
                break;
            case MessageDeltaEvent delta:
                Console.Write(delta.Delta);   // the text as it streams
                break;
            case ItemCompletedEvent { Item: AgentMessageThreadItem }:
                Console.WriteLine();
                break;
            case ItemCompletedEvent { Item: CommandExecutionThreadItem command }:
                Console.WriteLine($"command: {command.Command} -> {command.Status}, exit code {command.ExitCode}");
                foreach (var line in (command.AggregatedOutput ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(5))
                {
                    Console.WriteLine($"         | {line}");
                }

                break;
            case TurnCompletedEvent { Result: var result }:
                var usage = result.Usage?.Total;
                Console.WriteLine($"turn:    {result.Status} in {result.Duration.TotalSeconds:0.0} s; tokens: {usage?.InputTokens ?? 0} in, {usage?.OutputTokens ?? 0} out");
                break;
        }
    }

    var final = await turn.GetResultAsync();   // throws for a failed, interrupted or empty turn
    Console.WriteLine($"answer:  {final.Text}");
    return 0;
}
catch (Exception ex) when (ex is CodexException or ArgumentException)
{
    Console.Error.WriteLine($"QuickRun failed: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    if (!real)
    {
        workspace.Delete(recursive: true);
    }
}

