using CodexRuntime.Artifact.Diffing;
using CodexRuntime.Artifact.Patching;
using CodexRuntime.Artifact.Tests.Support;

namespace CodexRuntime.Artifact.Tests;

/// <summary>
/// <see cref="LineDiff"/> on seeded random texts (mixed endings, lone <c>\r</c>, with or without a final ending, and
/// edits of those): applying the diff to the old text gives the new one, the runs rebuild both texts with the line
/// numbers they claim, and the script is as short as a longest-common-subsequence table says it can be. Each failure
/// names its seed and case.
/// </summary>
public sealed class LineDiffPropertyTests
{
    private const int Cases = 1500;

    public static TheoryData<int> Seeds => new() { 1, 20261204, 424_242 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Applying_the_diff_to_the_old_text_gives_the_new_text(int seed)
    {
        var random = new PatchGenerator(seed);
        for (var n = 0; n < Cases; n++)
        {
            var (oldText, newText) = Pair(random);
            var why = Describe(seed, n, oldText, newText);

            var diff = LineDiff.Compute(oldText, newText);

            Assert.True(newText == DocPatches.ApplyDocPatch(oldText, diff.ToDocPatch()), why);
            Assert.True(oldText == string.Concat(diff.Runs.Where(r => r.Kind != LineDiffKind.Insert).SelectMany(r => r.Lines)), why);
            Assert.True(newText == string.Concat(diff.Runs.Where(r => r.Kind != LineDiffKind.Delete).SelectMany(r => r.Lines)), why);
            Assert.True(diff.IsMinimal, why);
            AssertLineNumbers(diff, why);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_diff_has_the_fewest_deleted_plus_inserted_lines(int seed)
    {
        var random = new PatchGenerator(seed);
        for (var n = 0; n < Cases; n++)
        {
            var (oldText, newText) = Pair(random);
            var a = Lines(oldText);
            var b = Lines(newText);

            var diff = LineDiff.Compute(oldText, newText);

            // Fewest edits = lines of both minus twice the longest common subsequence (a plain dynamic-programming table).
            Assert.True(a.Count + b.Count - (2 * LongestCommonSubsequence(a, b)) == diff.DeletedLines + diff.InsertedLines, Describe(seed, n, oldText, newText));
        }
    }

    /// <summary>Half unrelated documents, half a document and a patched copy of it (shared lines, as real revisions have).</summary>
    private static (string Old, string New) Pair(PatchGenerator random)
    {
        var oldText = random.Document() + random.Document();
        var newText = random.Next(2) == 0 ? random.Document() + random.Document() : DocPatches.ApplyDocPatch(oldText, random.ValidPatch(oldText));
        return (oldText, newText);
    }

    private static void AssertLineNumbers(LineDiff diff, string why)
    {
        var (oldLine, newLine) = (1, 1);
        foreach (var run in diff.Runs)
        {
            Assert.True((oldLine, newLine) == (run.OldLine, run.NewLine), why + $" run {run.Kind} at {run.OldLine}/{run.NewLine}, expected {oldLine}/{newLine}");
            Assert.NotEmpty(run.Lines);
            oldLine += run.Kind == LineDiffKind.Insert ? 0 : run.Lines.Count;
            newLine += run.Kind == LineDiffKind.Delete ? 0 : run.Lines.Count;
        }
    }

    /// <summary>Lines as the patch rules count them, split independently of the code under test.</summary>
    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var c in text)
        {
            line.Append(c);
            if (c == '\n')
            {
                lines.Add(line.ToString());
                line.Clear();
            }
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        return lines;
    }

    private static int LongestCommonSubsequence(List<string> a, List<string> b)
    {
        var table = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                table[i, j] = a[i] == b[j] ? table[i + 1, j + 1] + 1 : Math.Max(table[i + 1, j], table[i, j + 1]);
            }
        }

        return table[0, 0];
    }

    private static string Describe(int seed, int n, string oldText, string newText) =>
        $"seed {seed} case {n}: old {System.Text.Json.JsonSerializer.Serialize(oldText, Json.Default.String)} new {System.Text.Json.JsonSerializer.Serialize(newText, Json.Default.String)}";
}
