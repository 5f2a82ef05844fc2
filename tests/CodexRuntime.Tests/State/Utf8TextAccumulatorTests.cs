using System.Text;
using CodexRuntime.State;

namespace CodexRuntime.Tests.State;

public sealed class Utf8TextAccumulatorTests
{
    [Theory]
    [InlineData("aé€😀b")]
    [InlineData("😀😀😀")]
    [InlineData("日本語のテキスト")]
    [InlineData("plain ascii")]
    public void Every_limit_keeps_a_whole_character_prefix_and_counts_every_byte(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var limit = 0; limit <= bytes.Length + 2; limit++)
        {
            // Appended one byte at a time: the worst case for splitting a character.
            var accumulator = new Utf8TextAccumulator(limit);
            foreach (var b in bytes)
            {
                accumulator.Append([b]);
            }

            var kept = accumulator.Snapshot();
            var keptBytes = Encoding.UTF8.GetByteCount(kept.Value);
            Assert.True(keptBytes <= limit, $"limit {limit}: kept {keptBytes} bytes");
            Assert.StartsWith(kept.Value, text, StringComparison.Ordinal);
            Assert.DoesNotContain('\uFFFD', kept.Value);
            Assert.True(limit - keptBytes < 4, $"limit {limit}: kept only {keptBytes} bytes");
            Assert.Equal(bytes.Length, kept.TotalBytes);
            Assert.Equal(limit < bytes.Length, kept.IsTruncated);
        }
    }

    [Fact]
    public void Replace_takes_the_final_text_and_its_size()
    {
        var accumulator = new Utf8TextAccumulator(4);
        accumulator.Append("partial"u8);

        accumulator.Replace("€€");

        Assert.Equal(new CodexBoundedText("€", 6, true), accumulator.Snapshot());
    }

    [Fact]
    public void The_complete_prefix_drops_only_an_unfinished_last_character()
    {
        var bytes = Encoding.UTF8.GetBytes("a😀");
        Assert.Equal(1, Utf8TextAccumulator.CompletePrefix(bytes.AsSpan(0, 1)));
        Assert.Equal(1, Utf8TextAccumulator.CompletePrefix(bytes.AsSpan(0, 2)));
        Assert.Equal(1, Utf8TextAccumulator.CompletePrefix(bytes.AsSpan(0, 4)));
        Assert.Equal(5, Utf8TextAccumulator.CompletePrefix(bytes));
        Assert.Equal(0, Utf8TextAccumulator.CompletePrefix(bytes.AsSpan(1, 3)));
    }
}
