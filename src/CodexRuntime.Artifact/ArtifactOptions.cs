using System.Text.Json;

namespace CodexRuntime.Artifact;

/// <summary>How an <see cref="ArtifactSessionManager"/> runs tasks, and (through <c>AddArtifacts</c>) where the file store lives.</summary>
public sealed class ArtifactOptions
{
    /// <summary>The folder of the <see cref="FsArtifactStore"/> that <c>AddArtifacts</c> registers; required there.</summary>
    public string? Root { get; set; }

    /// <summary>The working directory of the artifacts' codex threads (it must exist); the store root under DI, the current directory otherwise.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>The contract the calling code was built for; checked (majors must match) before every open and task.</summary>
    public PluginContractVersion Contract { get; set; } = PluginContractVersion.Current;

    /// <summary>How long one task may take, opening the thread included; 120 s. The turn is interrupted when it passes.</summary>
    public TimeSpan TaskTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How many revisions the file store keeps per artifact (the current one included), so edits can be undone; 10.</summary>
    public int KeptRevisions { get; set; } = 10;

    /// <summary>How old a kept revision of the file store may get (<see cref="Storage.FsArtifactStoreOptions.MaxRevisionAge"/>); null (the default) keeps revisions by count only.</summary>
    public TimeSpan? MaxRevisionAge { get; set; }

    /// <summary>How long the file store waits for an artifact's lock before it fails with <see cref="ArtifactErrorKind.LockTimeout"/>; 10 s.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many progress reports of a streamed task (<see cref="ArtifactSessionManager.RunTaskStreaming"/>) may wait for
    /// their reader; 10,000. Beyond that reports are dropped and counted (the task never waits for the reader).
    /// </summary>
    public int ProgressCapacity { get; set; } = 10_000;

    /// <summary>The DocGenerate output schema when a task brings none; <see cref="ArtifactSchemas.DocGenerate"/> when null.</summary>
    public JsonElement? DocGenerateSchema { get; set; }

    /// <summary>The DocEdit output schema when a task brings none; <see cref="ArtifactSchemas.DocEdit"/> when null.</summary>
    public JsonElement? DocEditSchema { get; set; }

    /// <summary>Checks the options; each problem names the setting and the fix.</summary>
    /// <param name="requireRoot">Whether <see cref="Root"/> must be set (it must for <c>AddArtifacts</c>).</param>
    /// <returns>The problems; empty when usable.</returns>
    public IReadOnlyList<string> Validate(bool requireRoot = false)
    {
        var problems = new List<string>();
        if (requireRoot && string.IsNullOrWhiteSpace(Root))
        {
            problems.Add("ArtifactOptions.Root is not set; set it to the folder the artifacts are stored in, e.g. AddArtifacts(o => o.Root = \"/var/lib/app/artifacts\").");
        }

        if (TaskTimeout <= TimeSpan.Zero)
        {
            problems.Add($"ArtifactOptions.TaskTimeout is {TaskTimeout}; use a positive time (120 s by default).");
        }

        if (LockTimeout <= TimeSpan.Zero)
        {
            problems.Add($"ArtifactOptions.LockTimeout is {LockTimeout}; use a positive time (10 s by default).");
        }

        if (KeptRevisions < 1)
        {
            problems.Add($"ArtifactOptions.KeptRevisions is {KeptRevisions}; keep at least 1 (10 by default; 2 or more lets an edit be undone).");
        }

        if (ProgressCapacity < 1)
        {
            problems.Add($"ArtifactOptions.ProgressCapacity is {ProgressCapacity}; use at least 1 (10,000 by default), the number of progress reports that may wait for a slow reader.");
        }

        if (MaxRevisionAge <= TimeSpan.Zero)
        {
            problems.Add($"ArtifactOptions.MaxRevisionAge is {MaxRevisionAge}; use a positive time, or null to keep revisions by count only.");
        }

        if (!Contract.IsCompatibleWith(PluginContractVersion.Current))
        {
            problems.Add($"ArtifactOptions.Contract is {Contract}, but this package implements {PluginContractVersion.Current}; use a package version with major {Contract.Major}, or update the calling code.");
        }

        return problems;
    }
}
