// A stand-in codex app-server that floods one turn with sequence-numbered item/agentMessage/delta notifications, for
// throughput measurements of the real pipe (tests/CodexRuntime.Benchmarks, "flood" mode). Lines look like codex
// 0.169.0's (UUID thread and turn ids, a long item id, emittedAtMs): about 260 bytes per delta line.
//
//   CodexRuntime.FloodServer app-server            speaks the handshake and thread/start; each turn/start floods N
//                                                  deltas (N from params.count, or from the prompt text)
//   CodexRuntime.FloodServer --flood-now N         floods N deltas at once, no handshake (the baseline reader's input)
using System.Globalization;
using System.Text;

const string ThreadId = "01a20bc5-4efd-7e82-8e7e-f5b1687970db";
const string TurnId = "01a20bc5-4f57-7352-8d34-24cd657625c0";
const string ItemId = "msg_01a20bc54f5773528d3424cd657625c001a20bc54f577352";

var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
var utf8 = new UTF8Encoding(false);
var emittedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

if (args.Length == 2 && args[0] == "--flood-now")
{
    Flood(int.Parse(args[1], CultureInfo.InvariantCulture));
    stdout.Flush();
    return 0;
}

using var stdin = new StreamReader(Console.OpenStandardInput(), utf8);
while (stdin.ReadLine() is { } line)
{
    var id = Between(line, "\"id\":", ",");
    if (!line.Contains("\"id\":", StringComparison.Ordinal))
    {
        continue; // a notification (initialized)
    }

    if (line.Contains("\"method\":\"initialize\"", StringComparison.Ordinal))
    {
        Write("{\"id\":" + id + ",\"result\":{\"userAgent\":\"flood_server/0.169.0 (benchmark)\"}}");
    }
    else if (line.Contains("\"method\":\"thread/start\"", StringComparison.Ordinal))
    {
        var cwd = Between(line, "\"cwd\":\"", "\"");
        Write("{\"id\":" + id + ",\"result\":{\"thread\":{\"id\":\"" + ThreadId + "\",\"sessionId\":\"" + ThreadId + "\",\"preview\":\"\",\"ephemeral\":false,\"modelProvider\":\"mock_provider\",\"model\":\"mock-model\",\"createdAt\":1795493809,\"updatedAt\":1795493809,\"status\":{\"type\":\"idle\"},\"path\":null,\"cwd\":\"" + cwd + "\",\"cliVersion\":\"0.169.0\",\"source\":\"vscode\",\"gitInfo\":null,\"name\":null,\"turns\":[]},\"model\":\"mock-model\",\"modelProvider\":\"mock_provider\",\"cwd\":\"" + cwd + "\",\"approvalPolicy\":\"never\",\"sandbox\":{\"type\":\"readOnly\",\"networkAccess\":false},\"reasoningEffort\":null}}");
    }
    else if (line.Contains("\"method\":\"turn/start\"", StringComparison.Ordinal))
    {
        var count = line.Contains("\"count\":", StringComparison.Ordinal) ? Between(line, "\"count\":", "}") : Between(line, "\"text\":\"", "\"");
        Write("{\"id\":" + id + ",\"result\":{\"turn\":{\"id\":\"" + TurnId + "\",\"items\":[],\"status\":\"inProgress\",\"error\":null}}}");
        Flood(int.Parse(count, CultureInfo.InvariantCulture));
    }
    else
    {
        // thread/archive when a session closes, and anything else: accepted with an empty result.
        Write("{\"id\":" + id + ",\"result\":{}}");
    }

    stdout.Flush();
}

return 0;

void Flood(int count)
{
    for (var i = 0; i < count; i++)
    {
        Write("{\"method\":\"item/agentMessage/delta\",\"params\":{\"threadId\":\"" + ThreadId + "\",\"turnId\":\"" + TurnId + "\",\"itemId\":\"" + ItemId + "\",\"delta\":\"" + i.ToString(CultureInfo.InvariantCulture) + "\"},\"emittedAtMs\":" + (emittedAt + (i / 1000)).ToString(CultureInfo.InvariantCulture) + "}");
    }

    Write("{\"method\":\"turn/completed\",\"params\":{\"threadId\":\"" + ThreadId + "\",\"turn\":{\"id\":\"" + TurnId + "\",\"items\":[],\"status\":\"completed\",\"error\":null}}}");
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
