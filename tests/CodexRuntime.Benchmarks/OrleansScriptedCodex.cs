using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CodexRuntime.Testing;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// One silo's codex for the Orleans benchmark: a <see cref="ScriptedAppServer"/> that plays every <c>turn/start</c> it
/// receives as a complete turn (<c>item/started</c>, the deltas, <c>item/completed</c>, <c>turn/completed</c>). The
/// prompt's text is the number of deltas to write, so one server serves the many short turns of the load rounds and
/// the one long turn of the SSE rounds.
/// </summary>
internal sealed class OrleansScriptedCodex : IAsyncDisposable
{
    /// <summary>From this many deltas a turn is written from a thread of its own (see <see cref="AnswerAsync"/>).</summary>
    private const int LongTurn = 1_000;

    private readonly Task _loop;
    private int _turns;
    private int _written;

    public OrleansScriptedCodex()
    {
        // The loop waits for requests for as long as the benchmark runs: an idle wait is not a failure here.
        Server = new ScriptedAppServer { Deadline = TimeSpan.FromHours(1) };
        _loop = Task.Run(AnswerAsync);
    }

    public ScriptedAppServer Server { get; }

    /// <summary>Turns started, and turns whose <c>turn/completed</c> was written: a turn a subscriber waits for in vain is the runtime's if both agree.</summary>
    public (int Started, int Written) Turns => (Volatile.Read(ref _turns), Volatile.Read(ref _written));

    /// <summary>The prompt of a turn that writes <paramref name="deltas"/> deltas.</summary>
    public static string Prompt(int deltas) => deltas.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _loop;
    }

    private async Task AnswerAsync()
    {
        while (true)
        {
            ScriptedAppServer.ScriptedRequest request;
            try
            {
                request = await Server.ReadRequestAsync();
            }
            catch (ChannelClosedException)
            {
                return; // the server was disposed
            }

            if (request.Method != "turn/start")
            {
                await request.RespondErrorAsync(-32601, $"the benchmark's codex does not script '{request.Method}'");
                continue;
            }

            var threadId = (string)request.Params!["threadId"]!;
            var deltas = int.Parse((string)request.Params["input"]![0]!["text"]!, CultureInfo.InvariantCulture);
            var turnId = $"turn-{Interlocked.Increment(ref _turns)}";
            await request.RespondAsync(new JsonObject { ["turn"] = Turn(turnId, "inProgress") });
            if (deltas >= LongTurn)
            {
                // As codex writes from its own process: on the thread pool the writer would queue behind the readers
                // it feeds, and the SSE rounds would measure the pool's queue.
                new Thread(() => Play(threadId, turnId, deltas).GetAwaiter().GetResult()) { IsBackground = true, Name = "scripted codex" }.Start();
            }
            else
            {
                _ = Task.Run(() => Play(threadId, turnId, deltas));
            }
        }
    }

    private async Task Play(string threadId, string turnId, int deltas)
    {
        try
        {
            var text = new StringBuilder();
            await Server.NotifyAsync("item/started", Item(threadId, turnId, string.Empty));
            for (var i = 0; i < deltas; i++)
            {
                var piece = string.Create(CultureInfo.InvariantCulture, $"d{i};");
                text.Append(piece);
                await Server.NotifyAsync("item/agentMessage/delta", new JsonObject { ["threadId"] = threadId, ["turnId"] = turnId, ["itemId"] = "msg-1", ["delta"] = piece });
            }

            await Server.NotifyAsync("item/completed", Item(threadId, turnId, text.ToString()));
            await Server.NotifyAsync("turn/completed", new JsonObject { ["threadId"] = threadId, ["turn"] = Turn(turnId, "completed") });
            Interlocked.Increment(ref _written);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The silo stopped under a turn: the benchmark is over.
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"scripted codex: {turnId} not written to its end: {ex}");
        }
    }

    private static JsonObject Turn(string turnId, string status) =>
        new() { ["id"] = turnId, ["items"] = new JsonArray(), ["status"] = status, ["error"] = null };

    private static JsonObject Item(string threadId, string turnId, string text) =>
        new() { ["threadId"] = threadId, ["turnId"] = turnId, ["item"] = new JsonObject { ["type"] = "agentMessage", ["id"] = "msg-1", ["text"] = text } };
}
