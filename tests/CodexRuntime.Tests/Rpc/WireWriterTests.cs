using System.Text;
using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;

namespace CodexRuntime.Tests.Rpc;

/// <summary>The replies to server requests, byte for byte, in codex's framing (no "jsonrpc" member).</summary>
public sealed class WireWriterTests
{
    [Fact]
    public void An_error_reply_carries_code_message_and_data()
    {
        using var data = JsonDocument.Parse("""{"why":"no"}""");
        var bytes = WireWriter.Reply(CodexRequestId.FromNumber(7), CodexServerReply.FromError(-32000, "refused", data.RootElement));

        Assert.Equal("""{"id":7,"error":{"code":-32000,"message":"refused","data":{"why":"no"}}}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void A_result_reply_without_a_value_writes_null()
    {
        var bytes = WireWriter.Reply(CodexRequestId.FromString("a"), CodexServerReply.FromResult(default(JsonElement)));

        Assert.Equal("""{"id":"a","result":null}""", Encoding.UTF8.GetString(bytes));
    }
}
