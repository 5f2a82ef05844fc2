using System.Buffers;
using System.Text;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;

namespace CodexRuntime.Tests.Rpc;

/// <summary>The one-pass classifier's routing ids, delta position and item type.</summary>
public sealed class InboundLineClassifierTests
{
    [Fact]
    public void A_nested_object_after_its_id_is_already_known_is_still_consumed_whole()
    {
        // turnId comes first, so the turn object's own id is not needed; its members must not leak into params.
        var ids = Classify("""{"method":"x","params":{"turnId":"a","turn":{"id":"b","threadId":"wrong"},"threadId":"t","itemId":"i","item":{"id":"j","type":"agentMessage"}}}""");

        Assert.Equal(new RoutingIds("t", "a", "i") { ItemType = "agentMessage" }, ids);
    }

    [Fact]
    public void The_delta_text_is_located_with_its_escaping()
    {
        const string line = """{"method":"item/agentMessage/delta","params":{"itemId":"i","delta":"a\nb"}}""";

        var ids = Classify(line);

        Assert.Equal("a\\nb", line.Substring(ids.DeltaStart, ids.DeltaLength));
        Assert.True(ids.DeltaEscaped);
    }

    private static RoutingIds Classify(string line)
    {
        var kind = InboundLineClassifier.Classify(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)), null, out _, out _, out var ids, out var problem);
        Assert.True(kind == InboundLineKind.Notification, problem);
        return ids;
    }
}
