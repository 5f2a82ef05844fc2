using CodexRuntime.Artifact.Patching;

namespace CodexRuntime.Artifact.Diffing;

/// <summary>
/// The line differences between two texts: runs of kept, deleted and inserted lines that turn the old text into the
/// new one, as a <see cref="DocPatch"/> (<see cref="ToDocPatch"/>) or a unified diff (<see cref="ToUnifiedDiff"/>).
/// Lines are as the patches count them (a line ends with <c>\n</c>, <c>\r\n</c> belongs to its line).
/// </summary>
/// <remarks>
/// <see cref="Compute"/> strips the common first and last lines, then finds a shortest edit script (fewest deleted plus
/// inserted lines) with Myers' algorithm: time O((N+M)·D) and memory O(D²) for N and M lines and D edits, so
/// near-identical texts are fast whatever their size. When the script needs more than <see cref="MaxMinimalEdits"/>
/// edits, or the search exceeds its work budget (about 20 million steps), the differing middle is reported as deleted
/// and inserted whole instead (<see cref="IsMinimal"/> false): still exact, never minutes or gigabytes for a rewritten
/// megabyte document.
/// </remarks>
public sealed class LineDiff
{
    /// <summary>The most edits (deleted plus inserted lines, after the common first and last lines) searched for a minimal script.</summary>
    public const int MaxMinimalEdits = 1000;

    private LineDiff(string oldRevision, string newRevision, IReadOnlyList<LineDiffRun> runs, bool isMinimal)
    {
        OldRevision = oldRevision;
        NewRevision = newRevision;
        Runs = runs;
        IsMinimal = isMinimal;
        DeletedLines = runs.Where(r => r.Kind == LineDiffKind.Delete).Sum(r => r.Lines.Count);
        InsertedLines = runs.Where(r => r.Kind == LineDiffKind.Insert).Sum(r => r.Lines.Count);
    }

    /// <summary>The revision of the old text (<see cref="DocPatches.ComputeRevision"/>).</summary>
    public string OldRevision { get; }

    /// <summary>The revision of the new text.</summary>
    public string NewRevision { get; }

    /// <summary>
    /// The runs in text order, covering every line of both texts once: equal runs between changes, and in each change a
    /// delete run (if any) followed by an insert run (if any).
    /// </summary>
    public IReadOnlyList<LineDiffRun> Runs { get; }

    /// <summary>True when <see cref="Runs"/> is a shortest edit script; false when the search was capped (see the remarks).</summary>
    public bool IsMinimal { get; }

    /// <summary>How many lines of the old text are deleted.</summary>
    public int DeletedLines { get; }

    /// <summary>How many lines of the new text are inserted.</summary>
    public int InsertedLines { get; }

    /// <summary>True when the texts differ.</summary>
    public bool HasChanges => DeletedLines + InsertedLines > 0;

    /// <summary>Computes the differences between two texts.</summary>
    /// <param name="oldText">The text before.</param>
    /// <param name="newText">The text after.</param>
    /// <returns>The differences.</returns>
    public static LineDiff Compute(string oldText, string newText)
    {
        ArgumentNullException.ThrowIfNull(oldText);
        ArgumentNullException.ThrowIfNull(newText);
        var oldLines = LineSplitter.Split(oldText);
        var newLines = LineSplitter.Split(newText);

        // Lines become ids so the search compares integers; equal ids mean equal lines, endings included.
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var a = oldLines.Select(l => Id(ids, l)).ToArray();
        var b = newLines.Select(l => Id(ids, l)).ToArray();
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var middleA = a.AsSpan(prefix, a.Length - prefix - suffix);
        var middleB = b.AsSpan(prefix, b.Length - prefix - suffix);
        var middle = MyersDiff.Compute(middleA, middleB, MaxMinimalEdits);
        var isMinimal = middle is not null;
        var steps = new List<LineDiffKind>(a.Length + b.Length);
        steps.AddRange(Enumerable.Repeat(LineDiffKind.Equal, prefix));
        steps.AddRange(middle ?? Enumerable.Repeat(LineDiffKind.Delete, middleA.Length).Concat(Enumerable.Repeat(LineDiffKind.Insert, middleB.Length)));
        steps.AddRange(Enumerable.Repeat(LineDiffKind.Equal, suffix));
        return new LineDiff(DocPatches.ComputeRevision(oldText), DocPatches.ComputeRevision(newText), ToRuns(steps, oldLines, newLines), isMinimal);
    }

    /// <summary>
    /// The differences as a patch of the old text: one edit per change (its deleted lines replaced by its inserted
    /// ones). Applying it to the old text (<see cref="DocPatches.ApplyDocPatch"/>) gives the new text exactly.
    /// </summary>
    /// <param name="format">The patch's format (informational for the pure helpers).</param>
    /// <returns>The patch, expecting <see cref="OldRevision"/>.</returns>
    public DocPatch ToDocPatch(string format = ArtifactMeta.DefaultFormat)
    {
        var edits = new List<DocPatchEdit>();
        for (var i = 0; i < Runs.Count; i++)
        {
            if (Runs[i].Kind == LineDiffKind.Equal)
            {
                continue;
            }

            // A change is a delete run, an insert run, or a delete run followed by an insert run.
            var deleted = Runs[i].Kind == LineDiffKind.Delete ? Runs[i] : null;
            var inserted = deleted is null ? Runs[i] : i + 1 < Runs.Count && Runs[i + 1].Kind == LineDiffKind.Insert ? Runs[++i] : null;
            var start = (deleted ?? inserted)!.OldLine;
            edits.Add(new DocPatchEdit(start, start + (deleted?.Lines.Count ?? 0), string.Concat(inserted?.Lines ?? [])));
        }

        return new DocPatch(format, OldRevision, edits);
    }

    /// <summary>
    /// The differences as a unified diff (<c>---</c>/<c>+++</c> header, <c>@@ -l,n +l,n @@</c> hunks, lines prefixed with
    /// a space, <c>-</c> or <c>+</c>), empty when nothing changed. Lines keep their own endings (a <c>\r\n</c> line is
    /// printed with its <c>\r</c>); a last line without one is followed by <c>\ No newline at end of file</c>.
    /// </summary>
    /// <param name="oldLabel">The old side's name on the <c>---</c> line.</param>
    /// <param name="newLabel">The new side's name on the <c>+++</c> line.</param>
    /// <param name="context">Unchanged lines shown around each change (changes closer than twice this share a hunk); 0 or more.</param>
    /// <returns>The diff text.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The context is negative.</exception>
    public string ToUnifiedDiff(string oldLabel = "a", string newLabel = "b", int context = 3)
    {
        ArgumentNullException.ThrowIfNull(oldLabel);
        ArgumentNullException.ThrowIfNull(newLabel);
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        return UnifiedDiffWriter.Write(Runs, oldLabel, newLabel, context);
    }

    private static int Id(Dictionary<string, int> ids, string line)
    {
        if (!ids.TryGetValue(line, out var id))
        {
            id = ids.Count;
            ids.Add(line, id);
        }

        return id;
    }

    /// <summary>Groups the steps into runs, each change as its deletes then its inserts.</summary>
    private static List<LineDiffRun> ToRuns(List<LineDiffKind> steps, List<string> oldLines, List<string> newLines)
    {
        var runs = new List<LineDiffRun>();
        var (x, y, i) = (0, 0, 0);
        while (i < steps.Count)
        {
            if (steps[i] == LineDiffKind.Equal)
            {
                var start = i;
                while (i < steps.Count && steps[i] == LineDiffKind.Equal)
                {
                    i++;
                }

                var count = i - start;
                runs.Add(new LineDiffRun(LineDiffKind.Equal, x + 1, y + 1, oldLines.GetRange(x, count)));
                (x, y) = (x + count, y + count);
                continue;
            }

            var (deletes, inserts) = (0, 0);
            for (; i < steps.Count && steps[i] != LineDiffKind.Equal; i++)
            {
                _ = steps[i] == LineDiffKind.Delete ? deletes++ : inserts++;
            }

            if (deletes > 0)
            {
                runs.Add(new LineDiffRun(LineDiffKind.Delete, x + 1, y + 1, oldLines.GetRange(x, deletes)));
            }

            if (inserts > 0)
            {
                runs.Add(new LineDiffRun(LineDiffKind.Insert, x + deletes + 1, y + 1, newLines.GetRange(y, inserts)));
            }

            (x, y) = (x + deletes, y + inserts);
        }

        return runs;
    }
}
