using CodexRuntime.Artifact.Storage;

namespace CodexRuntime.Artifact;

/// <summary>Which kept revisions of an artifact a file store keeps after a save, and removing the others.</summary>
internal sealed class RevisionRetention(ArtifactFiles files, int keptRevisions, TimeSpan? maxRevisionAge, TimeProvider time)
{
    /// <summary>
    /// Retention after a save: removes kept revisions older than <see cref="FsArtifactStoreOptions.MaxRevisionAge"/>,
    /// then keeps at most <see cref="FsArtifactStoreOptions.KeptRevisions"/> — the current one, then those undo and redo
    /// reach from it (alternately, nearest first, so both directions keep their next steps), then the newest others.
    /// </summary>
    public void Prune(string artifactId, long currentSequence)
    {
        var entries = files.History(artifactId);
        var oldest = maxRevisionAge is { } age ? time.GetUtcNow() - age : DateTimeOffset.MinValue;
        var candidates = entries
            .Where(e => e.Meta.Sequence == currentSequence || e.Meta.SavedAt >= oldest)
            .ToDictionary(e => e.Meta.Sequence, e => e.Meta);
        var keep = new HashSet<long>();
        if (candidates.TryGetValue(currentSequence, out var current))
        {
            keep.Add(currentSequence);
            var meta = current.ToMeta(current.Revision);
            var (undo, redo) = (meta.UndoSequence, meta.RedoSequence);
            while (keep.Count < keptRevisions && (undo > 0 || redo > 0))
            {
                undo = Follow(candidates, keep, undo, m => m.UndoSequence);
                if (keep.Count < keptRevisions)
                {
                    redo = Follow(candidates, keep, redo, m => m.RedoSequence);
                }
            }
        }

        foreach (var (_, meta) in entries.Where(e => candidates.ContainsKey(e.Meta.Sequence)))
        {
            if (keep.Count >= keptRevisions)
            {
                break;
            }

            keep.Add(meta.Sequence);
        }

        foreach (var (path, meta) in entries.Where(e => !keep.Contains(e.Meta.Sequence)))
        {
            AtomicFile.TryDelete(path + ".json");
            AtomicFile.TryDelete(path + ".text");
        }
    }

    /// <summary>Keeps the save at <paramref name="sequence"/> if it is still a candidate; returns the next one along the chain (0: the chain ends).</summary>
    private static long Follow(Dictionary<long, StoredMeta> candidates, HashSet<long> keep, long sequence, Func<ArtifactMeta, long> next)
    {
        if (sequence <= 0 || !candidates.TryGetValue(sequence, out var stored) || !keep.Add(sequence))
        {
            return 0; // the chain leaves the kept window (or loops back): steps beyond it are unreachable anyway
        }

        return next(stored.ToMeta(stored.Revision));
    }
}
