using CodexRuntime.Artifact.Patching;

namespace CodexRuntime.Artifact;

/// <summary>
/// One task on an open artifact: one turn (approval never, read-only sandbox, the task's schema and effort), its answer
/// read and checked per kind, and the result saved by compare-and-swap. Nothing is written unless every check passed.
/// </summary>
internal sealed class ArtifactTaskRunner(IArtifactStore store, ArtifactOptions options)
{
    private const string DefaultEffort = "medium";
    private static readonly TimeSpan InterruptWait = TimeSpan.FromSeconds(5);

    /// <summary>Runs the task; with <paramref name="progress"/> the turn is streamed and its events reported there as they come.</summary>
    public async Task<ArtifactTaskResult> RunAsync(CodexSession session, string? sessionModel, ArtifactTaskSpec spec, ArtifactRecord record, ArtifactProgressBuffer? progress, CancellationToken cancellationToken)
    {
        var baseText = spec.CurrentText ?? record.Text;
        var prompt = new CodexPrompt(ArtifactPrompt.Build(spec, record.Meta, baseText))
        {
            OutputSchema = spec.OutputSchema ?? SchemaFor(spec.Kind),
            Effort = spec.Effort ?? DefaultEffort,
            Summary = spec.Summary,
        };

        // The session's own profile copy: tasks of one artifact run one at a time, so this is the next turn's model.
        session.Profile.Model = spec.Model ?? sessionModel;
        var result = await AskAsync(session, spec.ArtifactId, prompt, progress, cancellationToken).ConfigureAwait(false);
        var threadId = result.ThreadId;
        switch (spec.Kind)
        {
            case ArtifactTaskKind.DocGenerate:
            {
                var (format, title, text) = ArtifactOutputReader.ReadGenerate(spec.ArtifactId, RequireJson(spec, result));
                // Against the revision stored when the task started: a save by anyone during the turn is a conflict.
                var saved = await store.SaveAsync(spec.ArtifactId, new ArtifactSave(record.Revision, text, title, format, threadId), cancellationToken).ConfigureAwait(false);
                return new DocGenerateResult(spec.ArtifactId, threadId, result.TurnId, title, format, saved.Revision, saved.Meta.PreviousRevision, text);
            }

            case ArtifactTaskKind.DocEdit:
            {
                var patch = ArtifactOutputReader.ReadEdit(spec.ArtifactId, RequireJson(spec, result));
                var text = Apply(spec.ArtifactId, baseText, patch);
                // As in the seed, the patch's format becomes the artifact's (an edit may change what the text is); a
                // blank one says nothing, so the stored format stays rather than failing a good edit for a label.
                var format = string.IsNullOrWhiteSpace(patch.Format) ? record.Meta.Format : patch.Format;
                // Saved only if the store still holds the revision the patch was made against.
                var saved = await store.SaveAsync(spec.ArtifactId, new ArtifactSave(patch.ExpectedRevision, text, record.Meta.Title, format, threadId), cancellationToken).ConfigureAwait(false);
                return new DocEditResult(spec.ArtifactId, threadId, result.TurnId, format, saved.Revision, patch.ExpectedRevision, text, patch);
            }

            default:
                return new PassthroughResult(spec.ArtifactId, threadId, result.TurnId, ArtifactOutputReader.FindJson(result), result.Text);
        }
    }

    private System.Text.Json.JsonElement? SchemaFor(ArtifactTaskKind kind) => kind switch
    {
        ArtifactTaskKind.DocGenerate => options.DocGenerateSchema ?? ArtifactSchemas.DocGenerate,
        ArtifactTaskKind.DocEdit => options.DocEditSchema ?? ArtifactSchemas.DocEdit,
        _ => null,
    };

    private static async Task<PromptRunResult> AskAsync(CodexSession session, string artifactId, CodexPrompt prompt, ArtifactProgressBuffer? progress, CancellationToken cancellationToken)
    {
        try
        {
            return progress is null
                ? await session.AskAsync(prompt, cancellationToken).ConfigureAwait(false)
                : await StreamAsync(session, prompt, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (CodexRunTimeoutException ex)
        {
            throw new ArtifactException(ArtifactErrorKind.Timeout, artifactId, $"The task on artifact '{artifactId}' did not finish within {ex.Timeout.TotalSeconds} s; the turn was interrupted and nothing was written.", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Best effort: a turn that failed on our side must not go on spending tokens. Cancellation already interrupts.
            await TryInterruptAsync(session).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The turn as a stream: its events go to <paramref name="progress"/> (which never waits), then the result comes
    /// from the turn as with AskAsync. Leaving early (cancellation) disposes the turn, which interrupts it.
    /// </summary>
    private static async Task<PromptRunResult> StreamAsync(CodexSession session, CodexPrompt prompt, ArtifactProgressBuffer progress, CancellationToken cancellationToken)
    {
        await using var turn = await session.AskStreamingAsync(prompt, cancellationToken).ConfigureAwait(false);
        progress.TurnStarted(turn.TurnId);
        try
        {
            await foreach (var e in turn.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                progress.Add(e);
            }
        }
        catch (CodexException)
        {
            // The run failed (timeout, codex gone): the stream ends with that error, and the result below throws it
            // the way AskAsync would, so the task reports it once, typed.
        }

        return await turn.GetResultAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task TryInterruptAsync(CodexSession session)
    {
        try
        {
            await session.InterruptAsync(CancellationToken.None).WaitAsync(InterruptWait).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CodexException or TimeoutException or ObjectDisposedException)
        {
            // Nothing more to do: the turn ended already, or codex is gone.
        }
    }

    private static System.Text.Json.JsonElement RequireJson(ArtifactTaskSpec spec, PromptRunResult result) =>
        ArtifactOutputReader.FindJson(result) ?? throw new ArtifactException(ArtifactErrorKind.InvalidOutput, spec.ArtifactId,
            $"The {spec.Kind} answer for artifact '{spec.ArtifactId}' holds no JSON (not as structured output, not as JSON text, not in a fenced block). Nothing was written.");

    private static string Apply(string artifactId, string baseText, DocPatch patch)
    {
        var validation = DocPatches.ValidateDocPatch(baseText, patch);
        return validation.Error switch
        {
            DocPatchError.None => DocPatches.ApplyDocPatch(baseText, patch),
            DocPatchError.RevisionMismatch => throw new ArtifactException(ArtifactErrorKind.Conflict, artifactId, validation.Message + " Nothing was written.")
            {
                ExpectedRevision = patch.ExpectedRevision,
                ActualRevision = DocPatches.ComputeRevision(baseText),
                PatchError = validation.Error,
            },
            _ => throw new ArtifactException(ArtifactErrorKind.InvalidPatch, artifactId, validation.Message + " Nothing was written.") { PatchError = validation.Error },
        };
    }
}
