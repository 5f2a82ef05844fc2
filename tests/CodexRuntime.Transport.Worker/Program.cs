// A client that the transport restart test kills mid-turn.
// Usage: CodexRuntime.Transport.Worker <endpoint> <token or -> <workspace> <prompt>
// Attaches to the app-server at <endpoint>, starts a thread in <workspace> and a streaming turn with <prompt>, prints
// "THREAD <id>" and "TURN <id>", then "DELTA" at the first message delta, and keeps reading until it is killed.
using CodexRuntime;
using CodexRuntime.Transport;

var config = new ClientConfig();
config.Runtime.Process.Attach = CodexEndpoint.Parse(args[0]);
config.Runtime.Process.WebSocketToken = args[1] == "-" ? null : args[1];
await using var client = new CodexClient(config);
await using var session = await client.StartSessionAsync(new SessionConfig(args[2]));
Console.WriteLine($"THREAD {session.ThreadId}");
await using var turn = await session.AskStreamingAsync(args[3]);
Console.WriteLine($"TURN {turn.TurnId}");
var announced = false;
await foreach (var e in turn)
{
    if (e is MessageDeltaEvent && !announced)
    {
        announced = true;
        Console.WriteLine("DELTA");
    }
}

Console.WriteLine("COMPLETED");
