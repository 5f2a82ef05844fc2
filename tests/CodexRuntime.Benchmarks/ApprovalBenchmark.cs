using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CodexRuntime.Testing;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// The approval path of one streaming turn: the in-memory <see cref="ScriptedAppServer"/> sends N command approvals one
/// after the other, the turn's reader accepts each from its <see cref="ApprovalRequestedEvent"/>, and the server waits
/// for the answer before it sends the next. Prints the bytes allocated per approval in the whole process (client and
/// scripted server: the server's share is the same before and after a change) and the round trip's median and p99.
/// </summary>
internal static class ApprovalBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        await RoundsAsync(Math.Min(1_000, count)); // warm-up: JIT, pools
        var (bytes, times) = await RoundsAsync(count);
        Array.Sort(times);
        Console.WriteLine($"approvals: {count:N0} command approvals through one streaming turn (scripted app-server, accepted from the stream)");
        Console.WriteLine($"  allocated per approval (process, client + scripted server): {bytes / count:N0} B");
        Console.WriteLine($"  round trip: median {times[times.Length / 2] * 1_000_000 / Stopwatch.Frequency:N0} µs, p99 {times[(int)(times.Length * 0.99)] * 1_000_000 / Stopwatch.Frequency:N0} µs");
        return 0;
    }

    private static async Task<(long Bytes, long[] Times)> RoundsAsync(int count)
    {
        await using var server = new ScriptedAppServer();
        await using var client = new CodexClient(server.Attach(new ClientConfig()));
        await client.ConnectAsync();
        await using var session = await client.StartSessionAsync(new SessionConfig(Path.GetTempPath()));
        var starting = session.AskStreamingAsync("go");
        var start = await server.ReadRequestAsync("turn/start");
        await start.RespondAsync(new JsonObject { ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = "inProgress", ["error"] = null } });
        await using var turn = await starting;
        var reading = Task.Run(async () =>
        {
            await foreach (var e in turn)
            {
                if (e is ApprovalRequestedEvent approval)
                {
                    await approval.Request.AcceptAsync();
                }
            }
        });

        var times = new long[count];
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < count; i++)
        {
            var began = Stopwatch.GetTimestamp();
            await server.SendServerRequestAsync("item/commandExecution/requestApproval", new JsonObject
            {
                ["threadId"] = session.ThreadId,
                ["turnId"] = "turn-1",
                ["itemId"] = $"call-{i}",
                ["command"] = "touch x",
                ["cwd"] = "/tmp",
            });
            times[i] = Stopwatch.GetTimestamp() - began;
        }

        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        await server.NotifyAsync("turn/completed", new JsonObject
        {
            ["threadId"] = session.ThreadId,
            ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = "completed", ["error"] = null },
        });
        await reading;
        return (bytes, times);
    }
}
