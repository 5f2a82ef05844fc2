using CodexRuntime.Artifact.Patching;
using CodexRuntime.Artifact.Tests.Support;

namespace CodexRuntime.Artifact.Tests;

/// <summary>
/// DocPatches against the simple reference model (<see cref="PatchReference"/>), on seeded random documents with mixed
/// line endings and random patches: valid patches apply exactly as the model says and never throw; invalid ones are
/// refused with the error the mutation made. Each failure names its seed and case, so it can be replayed.
/// </summary>
public sealed class DocPatchPropertyTests
{
    private const int Cases = 1500;

    public static TheoryData<int> Seeds => new() { 1, 20261203, 777_777 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Valid_patches_apply_equal_to_the_reference_and_never_throw(int seed)
    {
        var random = new PatchGenerator(seed);
        for (var n = 0; n < Cases; n++)
        {
            var text = random.Document();
            var patch = random.ValidPatch(text);
            var why = Describe(seed, n, text, patch);

            Assert.True(DocPatches.ValidateDocPatch(text, patch).IsValid, why);
            var applied = DocPatches.ApplyDocPatch(text, patch);
            Assert.True(PatchReference.Apply(text, patch) == applied, why);
            // Every untouched line keeps its ending: the \r\n count changes only by what edits removed and added.
            Assert.Equal(CrLf(text) - Removed(text, patch) + patch.Edits.Sum(e => CrLf(e.Replacement)), CrLf(applied));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Invalid_patches_are_refused_with_the_error_of_what_was_broken(int seed)
    {
        var random = new PatchGenerator(seed);
        var seen = new HashSet<DocPatchError>();
        for (var n = 0; n < Cases; n++)
        {
            var text = random.Document();
            var (patch, expected, index) = Break(random, text, random.ValidPatch(text));
            if (expected == DocPatchError.None)
            {
                continue; // this patch could not be broken that way (e.g. too few edits); the next one will
            }

            var why = Describe(seed, n, text, patch) + $" expected {expected} at {index}";
            var validation = DocPatches.ValidateDocPatch(text, patch);
            Assert.True(expected == validation.Error, why + $", got {validation.Error}: {validation.Message}");
            Assert.Equal(index, validation.EditIndex);
            var thrown = Assert.Throws<DocPatchException>(() => DocPatches.ApplyDocPatch(text, patch));
            Assert.Equal(expected, thrown.Error);
            seen.Add(expected);
        }

        Assert.Equal([DocPatchError.InvalidRange, DocPatchError.NotSorted, DocPatchError.Overlap, DocPatchError.RevisionMismatch], seen.Order());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Any_patch_gets_the_reference_verdict_and_a_valid_one_the_reference_text(int seed)
    {
        var random = new PatchGenerator(seed);
        var verdicts = new HashSet<DocPatchError>();
        for (var n = 0; n < Cases; n++)
        {
            var text = random.Document();
            var patch = random.AnyPatch(text);
            var why = Describe(seed, n, text, patch);
            var expected = PatchReference.Validate(text, patch);

            Assert.True(expected == DocPatches.ValidateDocPatch(text, patch).Error, why);
            if (expected == DocPatchError.None)
            {
                Assert.True(PatchReference.Apply(text, patch) == DocPatches.ApplyDocPatch(text, patch), why);
            }
            else
            {
                Assert.Equal(expected, Assert.Throws<DocPatchException>(() => DocPatches.ApplyDocPatch(text, patch)).Error);
            }

            verdicts.Add(expected);
        }

        Assert.Equal(5, verdicts.Count); // every verdict came up, so the generator exercises each branch
    }

    /// <summary>Breaks one edit of a valid patch (or its revision) so that exactly the named error comes first.</summary>
    private static (DocPatch Patch, DocPatchError Expected, int? Index) Break(PatchGenerator random, string text, DocPatch valid)
    {
        var lines = PatchReference.Lines(text).Count;
        var edits = valid.Edits.ToList();
        switch (random.Next(4))
        {
            case 0:
                return (valid with { ExpectedRevision = DocPatches.ComputeRevision(text + "\n") }, DocPatchError.RevisionMismatch, null);
            case 1 when edits.Count > 0:
            {
                var j = random.Next(edits.Count);
                edits[j] = random.Next(3) switch
                {
                    0 => edits[j] with { StartLine = random.Next(-3, 1) },                                   // before line 1
                    1 => edits[j] with { EndLine = lines + 2 + random.Next(3) },                             // past lines + 1
                    _ => edits[j] with { StartLine = edits[j].EndLine + 1, EndLine = edits[j].EndLine },     // start after end
                };
                return (valid with { Edits = edits }, DocPatchError.InvalidRange, j);
            }

            case 2 when Enumerable.Range(1, Math.Max(0, edits.Count - 1)).Any(k => edits[k - 1].StartLine > 1):
            {
                var j = Enumerable.Range(1, edits.Count - 1).First(k => edits[k - 1].StartLine > 1);
                var start = random.Next(1, edits[j - 1].StartLine);                                           // before the previous start
                edits[j] = edits[j] with { StartLine = start, EndLine = start + random.Next(0, lines + 2 - start) };
                return (valid with { Edits = edits }, DocPatchError.NotSorted, j);
            }

            case 3 when edits.Count > 1 && edits[0].EndLine > edits[0].StartLine:
            {
                var start = random.Next(edits[0].StartLine, edits[0].EndLine);
                edits[1] = edits[1] with { StartLine = start, EndLine = start + random.Next(0, lines + 2 - start) };
                return (valid with { Edits = edits }, DocPatchError.Overlap, 1);
            }

            default:
                return (valid, DocPatchError.None, null);
        }
    }

    private static int CrLf(string text) => text.Split("\r\n").Length - 1;

    private static int Removed(string text, DocPatch patch)
    {
        var lines = PatchReference.Lines(text);
        return patch.Edits.Sum(e => string.Concat(lines.Skip(e.StartLine - 1).Take(e.EndLine - e.StartLine)).Split("\r\n").Length - 1);
    }

    private static string Describe(int seed, int n, string text, DocPatch patch) =>
        $"seed {seed} case {n}: text {System.Text.Json.JsonSerializer.Serialize(text, Json.Default.String)} edits [{string.Join(", ", patch.Edits.Select(e => $"({e.StartLine},{e.EndLine},{System.Text.Json.JsonSerializer.Serialize(e.Replacement, Json.Default.String)})"))}]";
}
