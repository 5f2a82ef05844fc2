namespace CodexRuntime.Artifact;

/// <summary>
/// A task started by <see cref="ArtifactSessionManager.RunTaskStreaming"/>: its progress as it happens, and its result.
/// </summary>
/// <remarks>
/// The task never waits for the progress reader: reports go into a buffer of
/// <see cref="ArtifactOptions.ProgressCapacity"/> reports, and when it is full further reports are dropped and counted
/// (one <see cref="ArtifactTaskProgressKind.ReportsLost"/> tells how many, once there is room again). A reader that is
/// slow, stops reading, or throws out of its <c>await foreach</c> therefore neither slows nor breaks the task; the
/// result always holds the whole answer. The stream ends before <see cref="Result"/> completes, whatever the outcome.
/// </remarks>
public sealed class ArtifactTaskRun
{
    private readonly IAsyncEnumerable<ArtifactTaskProgress> _progress;

    internal ArtifactTaskRun(string artifactId, IAsyncEnumerable<ArtifactTaskProgress> progress, Task<ArtifactTaskResult> result)
    {
        ArtifactId = artifactId;
        _progress = progress;
        Result = result;
    }

    /// <summary>The artifact the task works on.</summary>
    public string ArtifactId { get; }

    /// <summary>
    /// The task's progress in order (<c>await foreach</c>, once): <see cref="ArtifactTaskProgressKind.TurnStarted"/>,
    /// then item starts, text deltas and item completions as codex streams them. It ends when the turn ended or the
    /// task failed; the outcome is in <see cref="Result"/>, not in this stream. Reading it a second time throws
    /// <see cref="InvalidOperationException"/>.
    /// </summary>
    public IAsyncEnumerable<ArtifactTaskProgress> Progress => _progress;

    /// <summary>
    /// The task's result, as <see cref="ArtifactSessionManager.RunTaskAsync"/> returns it, or its error (the same
    /// exceptions). Await it even when only the progress is shown.
    /// </summary>
    public Task<ArtifactTaskResult> Result { get; }
}
