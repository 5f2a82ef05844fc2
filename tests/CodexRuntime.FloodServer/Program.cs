// A stand-in codex app-server that floods one turn with sequence-numbered item/agentMessage/delta notifications, for
// throughput measurements of the real pipe (tests/CodexRuntime.Benchmarks, "flood" mode).
//
//   CodexRuntime.FloodServer app-server            speaks the handshake; each turn/start floods N deltas (N from params.count)
//   CodexRuntime.FloodServer --flood-now N         floods N deltas at once, no handshake (the baseline reader's input)
using System.Text;

var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
var utf8 = new UTF8Encoding(false);

if (args.Length == 2 && args[0] == "--flood-now")
{
    Flood(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
    stdout.Flush();
    return 0;
}

using var stdin = new StreamReader(Console.OpenStandardInput(), utf8);
while (stdin.ReadLine() is { } line)
{
    var id = Between(line, "\"id\":", ",");
    if (line.Contains("\"method\":\"initialize\"", StringComparison.Ordinal))
    {
        Write("{\"id\":" + id + ",\"result\":{\"userAgent\":\"flood_server/0.169.0 (benchmark)\"}}");
    }
    else if (line.Contains("\"method\":\"turn/start\"", StringComparison.Ordinal))
    {
        var count = int.Parse(Between(line, "\"count\":", "}"), System.Globalization.CultureInfo.InvariantCulture);
        Write("{\"id\":" + id + ",\"result\":{\"turn\":{\"id\":\"turn-1\",\"items\":[],\"status\":\"inProgress\"}}}");
        Flood(count);
    }

    stdout.Flush();
}

return 0;

void Flood(int count)
{
    for (var i = 0; i < count; i++)
    {
        Write("{\"method\":\"item/agentMessage/delta\",\"params\":{\"threadId\":\"thread-1\",\"turnId\":\"turn-1\",\"itemId\":\"msg-1\",\"delta\":\"" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}}");
    }

    Write("""{"method":"turn/completed","params":{"threadId":"thread-1","turn":{"id":"turn-1","items":[],"status":"completed"}}}""");
}

void Write(string json)
{
    stdout.Write(utf8.GetBytes(json));
    stdout.WriteByte((byte)'\n');
}

static string Between(string text, string start, string end)
{
    var from = text.IndexOf(start, StringComparison.Ordinal);
    if (from < 0)
    {
        return "0";
    }

    from += start.Length;
    var to = text.IndexOf(end, from, StringComparison.Ordinal);
    return text[from..(to < 0 ? text.Length : to)].Trim();
}
