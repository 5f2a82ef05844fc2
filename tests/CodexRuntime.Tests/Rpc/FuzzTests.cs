using System.Text;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.Rpc;

/// <summary>
/// 100,000 random and mutated protocol lines through the connection: no exception escapes, nothing hangs, and the
/// connection still answers a request afterwards.
/// </summary>
public sealed class FuzzTests
{
    [Fact]
    public async Task Hundred_thousand_random_and_mutated_lines_leave_the_connection_working()
    {
        var random = new Random(20261124); // fixed seed: a failure reproduces
        var seeds = Recording.Load(Recording.Newest).Lines.Concat(Recording.Load(Recording.Floor).Lines).ToArray();
        var observer = new RecordingMessageObserver
        {
            // Server requests among the mutations are answered; a handler that throws must not matter either.
            ServerRequestHandler = (request, _) => request.Method.Length % 2 == 0
                ? ValueTask.FromResult(RecordingMessageObserver.Reply("{}"))
                : throw new InvalidOperationException("fuzzed handler failure"),
        };
        var (peer, connection) = await ScriptedPeer.ConnectAsync(observer);
        await using (peer)
        await using (connection)
        {
            // Drain whatever the connection writes (replies to fuzzed server requests) so it never blocks.
            using var drain = new CancellationTokenSource();
            var draining = Task.Run(async () =>
            {
                try
                {
                    while (!drain.IsCancellationRequested)
                    {
                        await peer.ReadLineAsync();
                    }
                }
                catch (Exception ex) when (ex is TimeoutException or EndOfStreamException or ObjectDisposedException or IOException)
                {
                    // Quiet pipe or closed: done.
                }
            });

            var batch = new StringBuilder();
            for (var i = 0; i < 100_000; i++)
            {
                batch.Append(Mutate(seeds[random.Next(seeds.Length)], random)).Append('\n');
                if (batch.Length > 64 * 1024)
                {
                    await peer.WriteBytesAsync(Encoding.UTF8.GetBytes(batch.ToString()));
                    batch.Clear();
                }
            }

            // A known last line proves the reader got through everything.
            batch.Append("""{"method":"fuzz/done"}""").Append('\n');
            await peer.WriteBytesAsync(Encoding.UTF8.GetBytes(batch.ToString()));
            await observer.WaitForMethodAsync("fuzz/done", TimeSpan.FromSeconds(60));
            await drain.CancelAsync();
            await draining.WaitAsync(TimeSpan.FromSeconds(15));

            Assert.True(connection.IsConnected);
            Assert.True(connection.MalformedLineCount > 10_000, $"only {connection.MalformedLineCount} lines were rejected: the mutations are too gentle");
            Assert.True(connection.NotificationCount > 10_000, $"only {connection.NotificationCount} notifications got through: the mutations are too harsh");

            var call = connection.RequestAsync("model/list");
            await peer.ReplyAsync(await peer.ReadAsync(), """{"id":0,"result":{"data":[]}}""");
            await call.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private static string Mutate(string line, Random random)
    {
        switch (random.Next(8))
        {
            case 0:
                return line; // untouched: valid traffic between the garbage
            case 1:
                return line[..random.Next(line.Length)]; // truncated
            case 2:
            {
                var chars = line.ToCharArray();
                for (var i = 0; i < 1 + random.Next(5); i++)
                {
                    chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
                }

                return new string(chars); // flipped characters
            }

            case 3:
                return line.Insert(random.Next(line.Length), "{[\"\\u00"); // structure noise
            case 4:
            {
                var bytes = new byte[random.Next(1, 200)];
                random.NextBytes(bytes);
                return Encoding.Latin1.GetString(bytes).Replace('\n', ' ').Replace('\r', ' '); // binary noise
            }

            case 5:
                return line.Replace("\"method\"", random.Next(2) == 0 ? "\"methd\"" : "\"method\":1,\"x\"", StringComparison.Ordinal);
            case 6:
                return line.Replace("\"id\":", "\"id\":\"", StringComparison.Ordinal); // ids of the wrong type
            default:
                return $$"""{"method":"fuzz/{{random.Next(1000)}}","params":{{(random.Next(2) == 0 ? "null" : "[1,{\"a\":true}]")}}}""";
        }
    }
}
