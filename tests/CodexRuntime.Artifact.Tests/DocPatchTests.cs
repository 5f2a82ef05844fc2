using CodexRuntime.Artifact.Patching;

namespace CodexRuntime.Artifact.Tests;

/// <summary>DocPatches on hand-picked cases: the revision format, inserts, appends, deletes, endings, each error.</summary>
public sealed class DocPatchTests
{
    private const string Text = "one\r\ntwo\nthree\r\nfour";

    [Fact]
    public void A_revision_is_sha256_and_lowercase_hex_of_the_UTF8_bytes()
    {
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", DocPatches.ComputeRevision(string.Empty));
        Assert.Equal("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", DocPatches.ComputeRevision("hello"));
        Assert.NotEqual(DocPatches.ComputeRevision("a\n"), DocPatches.ComputeRevision("a\r\n"));
    }

    [Fact]
    public void Lines_keep_their_endings_and_a_last_line_needs_none()
    {
        Assert.Equal(0, DocPatches.CountLines(string.Empty));
        Assert.Equal(4, DocPatches.CountLines(Text));
        Assert.Equal(2, DocPatches.CountLines("a\r\nb\n"));
        Assert.Equal(1, DocPatches.CountLines("a\rb"));
    }

    [Theory]
    [InlineData(1, 1, "zero\n", "zero\none\r\ntwo\nthree\r\nfour")]            // insert before the first line
    [InlineData(5, 5, "\nfive", "one\r\ntwo\nthree\r\nfour\nfive")]           // append after the last line
    [InlineData(2, 4, "", "one\r\nfour")]                                        // delete lines 2 and 3
    [InlineData(2, 3, "TWO\r\n", "one\r\nTWO\r\nthree\r\nfour")]               // replace, with another ending
    [InlineData(4, 5, "4", "one\r\ntwo\nthree\r\n4")]                          // the last line, no ending
    public void One_edit_replaces_exactly_its_lines(int start, int end, string replacement, string expected)
    {
        var patch = new DocPatch("markdown", DocPatches.ComputeRevision(Text), [new DocPatchEdit(start, end, replacement)]);
        Assert.Equal(expected, DocPatches.ApplyDocPatch(Text, patch));
    }

    [Fact]
    public void Several_edits_refer_to_the_original_lines_and_inserts_at_one_place_keep_their_order()
    {
        var patch = new DocPatch("markdown", DocPatches.ComputeRevision(Text),
            [new DocPatchEdit(1, 2, "ONE\n"), new DocPatchEdit(3, 3, "a\n"), new DocPatchEdit(3, 3, "b\n"), new DocPatchEdit(3, 4, "THREE\r\n"), new DocPatchEdit(5, 5, "\n")]);
        Assert.Equal("ONE\ntwo\na\nb\nTHREE\r\nfour\n", DocPatches.ApplyDocPatch(Text, patch));
        Assert.Equal("x", DocPatches.ApplyDocPatch(string.Empty, new DocPatch("markdown", DocPatches.ComputeRevision(string.Empty), [new DocPatchEdit(1, 1, "x")])));
        Assert.Equal(Text, DocPatches.ApplyDocPatch(Text, new DocPatch("markdown", DocPatches.ComputeRevision(Text), [])));
    }

    [Theory]
    [InlineData(0, 1, 2, 2, DocPatchError.InvalidRange, 0)]
    [InlineData(3, 2, 4, 4, DocPatchError.InvalidRange, 0)]
    [InlineData(1, 6, 6, 6, DocPatchError.InvalidRange, 0)]
    [InlineData(3, 4, 1, 2, DocPatchError.NotSorted, 1)]
    [InlineData(1, 3, 2, 4, DocPatchError.Overlap, 1)]
    [InlineData(2, 2, 1, 3, DocPatchError.NotSorted, 1)]
    [InlineData(1, 3, 3, 3, DocPatchError.None, null)]
    public void Each_kind_of_bad_edit_has_its_own_error(int s1, int e1, int s2, int e2, DocPatchError expected, int? index)
    {
        var patch = new DocPatch("markdown", DocPatches.ComputeRevision(Text), [new DocPatchEdit(s1, e1, "x\n"), new DocPatchEdit(s2, e2, "y\n")]);
        var validation = DocPatches.ValidateDocPatch(Text, patch);
        Assert.Equal((expected, index), (validation.Error, validation.EditIndex));
    }

    [Fact]
    public void A_patch_for_another_revision_is_a_conflict_before_any_range_is_looked_at()
    {
        var patch = new DocPatch("markdown", DocPatches.ComputeRevision(Text + "!"), [new DocPatchEdit(0, 99, "x")]);
        var error = Assert.Throws<DocPatchException>(() => DocPatches.ApplyDocPatch(Text, patch));
        Assert.Equal(DocPatchError.RevisionMismatch, error.Error);
        Assert.Contains(DocPatches.ComputeRevision(Text), error.Message, StringComparison.Ordinal);
    }
}
