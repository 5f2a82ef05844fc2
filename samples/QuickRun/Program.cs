// The README demo (bash build/demo.sh): the real codex app-server runs one streamed turn in a CodexClient session.
// By default codex talks to CodexRuntime.Testing's FakeModelServer on loopback (no account, no network): its script
// makes codex run one harmless command (ls) and then answers with what it saw. --real uses your own codex login.
//
// Usage: dotnet run --project samples/QuickRun [-- [--real] [prompt words...]]
using CodexRuntime;
using CodexRuntime.Protocol;

var real = args.Contains("--real");
var words = args.Where(arg => arg != "--real").ToArray();
var prompt = words.Length > 0 ? string.Join(' ', words) : "What is in the working directory?";

var config = new ClientConfig();
var profile = new RunProfile { Timeout = TimeSpan.FromSeconds(60) };   // every turn has a deadline

// Offline: a fake model on loopback, a CODEX_HOME pointing at it, a scratch folder to work in (see OfflineDemo.cs).
await using var offline = real ? null : OfflineDemo.Start(config);
var workspace = offline?.Workspace ?? new DirectoryInfo(Environment.CurrentDirectory);

try
{
    await using var client = new CodexClient(config);
    await client.ConnectAsync();
    // No Runtime.Process.ExecutablePath set: the client finds codex through CODEX_CLI_PATH (build/demo.sh sets it), else PATH.
    Console.WriteLine($"server:  codex app-server, process {client.ProcessId} (codex {client.Runtime.ServerInfo.Version})");
    Console.WriteLine(offline is null
        ? "model:   the real model, with your codex login (~/.codex or CODEX_HOME)"
        : $"model:   FakeModelServer at {offline.ModelUrl} (offline: nothing leaves this machine)");
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
