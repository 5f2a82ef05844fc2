using CodexRuntime.Artifact.Diffing;

namespace CodexRuntime.Artifact;

/// <summary>
/// Multi-level undo and redo, and diffs, over the revisions an <see cref="IArtifactStore"/> keeps. Works on any store.
/// </summary>
/// <remarks>
/// <para>
/// Undo and redo never rewrite history: each step is a new save of an earlier revision's text, by compare-and-swap on
/// the current revision and sequence, so other callers and processes see it and a racing save makes the step fail with
/// <see cref="ArtifactErrorKind.Conflict"/> (nothing written) instead of undoing twice. Each revision's meta says where
/// undo and redo go from it (<see cref="ArtifactMeta.UndoSequence"/>, <see cref="ArtifactMeta.RedoSequence"/>): an
/// ordinary save undoes to the save before it and has no redo; an undo to revision <c>t</c> links undo to what
/// <c>t</c> undid to and redo to the revision it left; a redo the other way round. So undo, undo, undo walks back
/// through the edits, redo walks forward again, and an ordinary save after an undo drops the redo path, as in an
/// editor.
/// </para>
/// <para>
/// Every step is itself a save, and stores keep a bounded number of revisions: a step whose target is no longer kept
/// fails with <see cref="ArtifactErrorKind.RevisionNotKept"/>. <see cref="FsArtifactStore"/> keeps the revisions undo
/// and redo reach first, so <c>KeptRevisions</c> − 1 steps (undo plus redo) stay reachable.
/// </para>
/// </remarks>
/// <param name="store">The store the revisions live in.</param>
public sealed class ArtifactHistory(IArtifactStore store)
{
    private readonly IArtifactStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Restores the text the current revision's undo points at, as a new save.</summary>
    /// <param name="artifactId">The artifact.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The artifact after the undo (<see cref="ArtifactMeta.Change"/> = <see cref="ArtifactChange.Undo"/>).</returns>
    /// <exception cref="ArtifactException">
    /// <see cref="ArtifactErrorKind.NotFound"/> (no such artifact), <see cref="ArtifactErrorKind.NothingToUndo"/>,
    /// <see cref="ArtifactErrorKind.RevisionNotKept"/> (the revision to go back to was dropped by retention),
    /// <see cref="ArtifactErrorKind.Conflict"/> (someone saved in between); nothing was written.
    /// </exception>
    public Task<ArtifactRecord> UndoAsync(string artifactId, CancellationToken cancellationToken = default) =>
        StepAsync(artifactId, ArtifactChange.Undo, cancellationToken);

    /// <summary>Restores the text the last undo (or chain of undos) left, as a new save.</summary>
    /// <param name="artifactId">The artifact.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The artifact after the redo (<see cref="ArtifactMeta.Change"/> = <see cref="ArtifactChange.Redo"/>).</returns>
    /// <exception cref="ArtifactException">
    /// <see cref="ArtifactErrorKind.NotFound"/>, <see cref="ArtifactErrorKind.NothingToRedo"/> (no undo to redo, or an
    /// ordinary save since), <see cref="ArtifactErrorKind.RevisionNotKept"/>, <see cref="ArtifactErrorKind.Conflict"/>;
    /// nothing was written.
    /// </exception>
    public Task<ArtifactRecord> RedoAsync(string artifactId, CancellationToken cancellationToken = default) =>
        StepAsync(artifactId, ArtifactChange.Redo, cancellationToken);

    /// <summary>The line differences between two revisions of an artifact (any two it keeps, in either order).</summary>
    /// <param name="artifactId">The artifact.</param>
    /// <param name="fromRevision">The old side's revision.</param>
    /// <param name="toRevision">The new side's revision.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The differences from <paramref name="fromRevision"/> to <paramref name="toRevision"/>.</returns>
    /// <exception cref="ArtifactException">
    /// <see cref="ArtifactErrorKind.NotFound"/> (no such artifact, or a revision it never had as far as the kept ones
    /// tell), <see cref="ArtifactErrorKind.RevisionNotKept"/> (a revision the artifact had but retention dropped).
    /// </exception>
    public async Task<LineDiff> DiffAsync(string artifactId, string fromRevision, string toRevision, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fromRevision);
        ArgumentException.ThrowIfNullOrEmpty(toRevision);
        var current = await LoadCurrentAsync(artifactId, "diff", cancellationToken).ConfigureAwait(false);
        var from = await LoadTextAsync(current, fromRevision, cancellationToken).ConfigureAwait(false);
        var to = await LoadTextAsync(current, toRevision, cancellationToken).ConfigureAwait(false);
        return LineDiff.Compute(from, to);
    }

    private async Task<ArtifactRecord> StepAsync(string artifactId, ArtifactChange change, CancellationToken cancellationToken)
    {
        var undo = change == ArtifactChange.Undo;
        var current = await LoadCurrentAsync(artifactId, undo ? "undo" : "redo", cancellationToken).ConfigureAwait(false);
        var targetSequence = undo ? current.Meta.UndoSequence : current.Meta.RedoSequence;
        if (targetSequence <= 0)
        {
            throw undo
                ? new ArtifactException(ArtifactErrorKind.NothingToUndo, artifactId, $"Artifact '{artifactId}' has nothing to undo: its revision {current.Revision} (save {current.Meta.Sequence}) is the first step of its history. Nothing was written.")
                : new ArtifactException(ArtifactErrorKind.NothingToRedo, artifactId, $"Artifact '{artifactId}' has nothing to redo: its revision {current.Revision} (save {current.Meta.Sequence}) is not an undo, or an ordinary save since the last undo dropped the redo path. Nothing was written.");
        }

        var revisions = await _store.ListRevisionsAsync(artifactId, cancellationToken).ConfigureAwait(false);
        var target = revisions.FirstOrDefault(r => r.Sequence == targetSequence);
        var text = target is null ? null : await _store.LoadRevisionAsync(artifactId, target.Revision, cancellationToken).ConfigureAwait(false);
        if (target is null || text is null)
        {
            throw new ArtifactException(ArtifactErrorKind.RevisionNotKept, artifactId,
                $"Artifact '{artifactId}' cannot {(undo ? "undo" : "redo")}: the save it would restore (save {targetSequence}) is no longer kept (the store keeps saves {Span(revisions)}; retention by count or age dropped it). Nothing was written; keep more revisions (KeptRevisions, MaxRevisionAge) to step further.");
        }

        // Expecting the sequence too: an undo then a redo elsewhere brings the same revision back with other links.
        var save = new ArtifactSave(current.Revision, text.Text, target.Title, target.Format, current.Meta.RuntimeThreadId)
        {
            ExpectedSequence = current.Meta.Sequence,
            Change = change,
            RestoredSequence = targetSequence,
            UndoSequence = undo ? target.UndoSequence : current.Meta.Sequence,
            RedoSequence = undo ? current.Meta.Sequence : target.RedoSequence,
        };
        return await _store.SaveAsync(artifactId, save, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ArtifactRecord> LoadCurrentAsync(string artifactId, string what, CancellationToken cancellationToken) =>
        await _store.LoadAsync(artifactId, cancellationToken).ConfigureAwait(false)
        ?? throw new ArtifactException(ArtifactErrorKind.NotFound, artifactId, $"Artifact '{artifactId}' does not exist; there is nothing to {what}.");

    private async Task<string> LoadTextAsync(ArtifactRecord current, string revision, CancellationToken cancellationToken)
    {
        if (string.Equals(revision, current.Revision, StringComparison.Ordinal))
        {
            return current.Text; // also when the text was changed outside a save and is not in the history
        }

        if (await _store.LoadRevisionAsync(current.ArtifactId, revision, cancellationToken).ConfigureAwait(false) is { } kept)
        {
            return kept.Text;
        }

        var revisions = await _store.ListRevisionsAsync(current.ArtifactId, cancellationToken).ConfigureAwait(false);
        if (revisions.Any(r => string.Equals(r.PreviousRevision, revision, StringComparison.Ordinal)))
        {
            throw new ArtifactException(ArtifactErrorKind.RevisionNotKept, current.ArtifactId,
                $"Revision {revision} of artifact '{current.ArtifactId}' is no longer kept (retention by count or age dropped it; the store keeps saves {Span(revisions)}). Diff kept revisions (ListRevisionsAsync) or keep more.");
        }

        throw new ArtifactException(ArtifactErrorKind.NotFound, current.ArtifactId,
            $"Artifact '{current.ArtifactId}' keeps no revision {revision}: it is not one of its kept revisions (ListRevisionsAsync lists them; a revision is \"sha256:\" + 64 hex digits).");
    }

    private static string Span(IReadOnlyList<ArtifactMeta> revisions) =>
        revisions.Count == 0 ? "none" : $"{revisions.Min(r => r.Sequence)} to {revisions.Max(r => r.Sequence)}";
}
