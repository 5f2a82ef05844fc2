using CodexRuntime.Transport;

namespace CodexRuntime.Tests.Transport;

public sealed class StderrTailTests
{
    [Fact]
    public void Keeps_only_the_last_lines_without_colour_codes_and_cuts_huge_lines()
    {
        var tail = new StderrTail(maxLines: 3);
        for (var i = 0; i < 10; i++)
        {
            tail.Add($"\u001b[2mline {i}\u001b[0m");
        }

        tail.Add(new string('x', 10_000));
        var lines = tail.ToString().Split(Environment.NewLine);

        Assert.Equal(["line 8", "line 9"], lines[..2]);
        Assert.Equal(StderrTail.MaxLineLength + 1, lines[2].Length);
    }
}
