using CodexRuntime.Artifact.Diffing;
using CodexRuntime.Artifact.Patching;

namespace CodexRuntime.Artifact.Tests;

/// <summary><see cref="LineDiff"/> on hand-made cases: minimal scripts, line numbers, endings, the unified rendering and the cap.</summary>
public sealed class LineDiffTests
{
    [Fact]
    public void Equal_texts_have_one_equal_run_no_changes_and_an_empty_unified_diff()
    {
        var diff = LineDiff.Compute("a\nb\n", "a\nb\n");

        Assert.False(diff.HasChanges);
        Assert.True(diff.IsMinimal);
        Assert.Equal([new LineDiffRun(LineDiffKind.Equal, 1, 1, ["a\n", "b\n"])], diff.Runs, RunComparer.Instance);
        Assert.Equal(string.Empty, diff.ToUnifiedDiff());
        Assert.Empty(diff.ToDocPatch().Edits);
    }

    [Fact]
    public void One_changed_line_is_one_delete_and_one_insert_between_kept_lines()
    {
        var diff = LineDiff.Compute("a\nb\nc\n", "a\nB\nc\n");

        Assert.Equal(
            [
                new LineDiffRun(LineDiffKind.Equal, 1, 1, ["a\n"]),
                new LineDiffRun(LineDiffKind.Delete, 2, 2, ["b\n"]),
                new LineDiffRun(LineDiffKind.Insert, 3, 2, ["B\n"]),
                new LineDiffRun(LineDiffKind.Equal, 3, 3, ["c\n"]),
            ],
            diff.Runs, RunComparer.Instance);
        Assert.Equal((1, 1), (diff.DeletedLines, diff.InsertedLines));
        Assert.Equal([new DocPatchEdit(2, 3, "B\n")], diff.ToDocPatch().Edits);
        Assert.Equal(DocPatches.ComputeRevision("a\nb\nc\n"), diff.ToDocPatch().ExpectedRevision);
    }

    [Theory]
    [InlineData("a\nb\nc\n", "a\nc\n", 1, 0)]            // one delete, nothing else
    [InlineData("a\nc\n", "a\nb\nc\n", 0, 1)]            // one insert
    [InlineData("a\nb\nc\nd\n", "b\nc\nd\na\n", 1, 1)]   // a line moved to the end: not four changes
    [InlineData("x\na\nb\n", "a\nb\ny\n", 1, 1)]
    [InlineData("", "a\nb\n", 0, 2)]
    [InlineData("a\nb\n", "", 2, 0)]
    [InlineData("a\nb\na\nb\n", "b\na\nb\na\n", 1, 1)]
    public void Simple_cases_get_the_fewest_deleted_plus_inserted_lines(string oldText, string newText, int deleted, int inserted)
    {
        var diff = LineDiff.Compute(oldText, newText);

        Assert.Equal((deleted, inserted), (diff.DeletedLines, diff.InsertedLines));
        Assert.Equal(newText, DocPatches.ApplyDocPatch(oldText, diff.ToDocPatch()));
    }

    [Fact]
    public void Line_endings_are_part_of_the_line_so_a_changed_ending_is_a_changed_line()
    {
        var diff = LineDiff.Compute("a\r\nb\n", "a\nb\n");

        Assert.Equal((1, 1), (diff.DeletedLines, diff.InsertedLines));
        Assert.Equal(["a\r\n"], diff.Runs.Single(r => r.Kind == LineDiffKind.Delete).Lines);
        Assert.Equal("--- a\n+++ b\n@@ -1,2 +1,2 @@\n-a\r\n+a\n b\n", diff.ToUnifiedDiff());
    }

    [Fact]
    public void The_unified_diff_has_hunks_with_context_and_marks_a_last_line_without_ending()
    {
        var oldText = string.Concat(Enumerable.Range(1, 12).Select(i => $"{i}\n")) + "end";
        var newText = oldText.Replace("\n2\n", "\ntwo\n", StringComparison.Ordinal).Replace("end", "END", StringComparison.Ordinal);

        var unified = LineDiff.Compute(oldText, newText).ToUnifiedDiff("rev1", "rev2", context: 1);

        Assert.Equal(
            "--- rev1\n+++ rev2\n" +
            "@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n" +
            "@@ -12,2 +12,2 @@\n 12\n-end\n\\ No newline at end of file\n+END\n\\ No newline at end of file\n",
            unified);
    }

    [Fact]
    public void Changes_closer_than_twice_the_context_share_a_hunk_and_an_empty_side_names_the_line_before()
    {
        Assert.Equal("--- a\n+++ b\n@@ -1,5 +1,3 @@\n-x\n a\n b\n-y\n c\n",
            LineDiff.Compute("x\na\nb\ny\nc\n", "a\nb\nc\n").ToUnifiedDiff(context: 1));
        Assert.Equal("--- a\n+++ b\n@@ -0,0 +1,1 @@\n+new\n", LineDiff.Compute(string.Empty, "new\n").ToUnifiedDiff());
        Assert.Equal("--- a\n+++ b\n@@ -2,0 +3,1 @@\n+c\n", LineDiff.Compute("a\nb\n", "a\nb\nc\n").ToUnifiedDiff(context: 0));
    }

    [Fact]
    public void A_rewritten_megabyte_document_is_capped_not_minimal_but_still_exact()
    {
        // Everything differs: the minimal search would need ~80,000 edits, far past the cap, so the middle is replaced whole.
        var oldText = string.Concat(Enumerable.Range(0, 40_000).Select(i => $"old line {i:D8} ........\n"));
        var newText = string.Concat(Enumerable.Range(0, 40_000).Select(i => $"new line {i:D8} ........\n"));
        Assert.True(oldText.Length > 1_000_000);

        var diff = LineDiff.Compute(oldText, newText);

        Assert.False(diff.IsMinimal);
        Assert.Equal((40_000, 40_000), (diff.DeletedLines, diff.InsertedLines));
        Assert.Equal(newText, DocPatches.ApplyDocPatch(oldText, diff.ToDocPatch()));
    }

    [Fact]
    public void A_few_changes_in_a_large_document_stay_minimal()
    {
        var lines = Enumerable.Range(0, 50_000).Select(i => $"line {i}\n").ToArray();
        var oldText = string.Concat(lines);
        lines[100] = "changed\n";
        lines[40_000] = "changed too\n";
        var newText = string.Concat(lines);

        var diff = LineDiff.Compute(oldText, newText);

        Assert.True(diff.IsMinimal);
        Assert.Equal((2, 2), (diff.DeletedLines, diff.InsertedLines));
        Assert.Equal([new DocPatchEdit(101, 102, "changed\n"), new DocPatchEdit(40_001, 40_002, "changed too\n")], diff.ToDocPatch().Edits);
    }

    [Fact]
    public void A_negative_context_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LineDiff.Compute("a\n", "b\n").ToUnifiedDiff(context: -1));
    }

    /// <summary>Records holding lists compare the lists by reference; this compares their lines.</summary>
    private sealed class RunComparer : IEqualityComparer<LineDiffRun>
    {
        public static readonly RunComparer Instance = new();

        public bool Equals(LineDiffRun? x, LineDiffRun? y) =>
            x is not null && y is not null && (x.Kind, x.OldLine, x.NewLine) == (y.Kind, y.OldLine, y.NewLine) && x.Lines.SequenceEqual(y.Lines);

        public int GetHashCode(LineDiffRun obj) => HashCode.Combine(obj.Kind, obj.OldLine, obj.NewLine);
    }
}
