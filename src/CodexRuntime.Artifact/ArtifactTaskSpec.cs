using System.Text.Json;
using CodexRuntime.Protocol;

namespace CodexRuntime.Artifact;

/// <summary>One artifact task: which artifact, what kind, the goal, and how to run it.</summary>
/// <param name="ArtifactId">The artifact (opened on first use).</param>
/// <param name="Kind">What the model must answer.</param>
/// <param name="UserGoal">What the user wants, in their words (the prompt's GOAL section).</param>
public sealed record ArtifactTaskSpec(string ArtifactId, ArtifactTaskKind Kind, string UserGoal)
{
    /// <summary>
    /// The text the model works on; the stored text when null. A DocEdit patch is checked against this text and saved
    /// only if the store still holds the revision the patch expects.
    /// </summary>
    public string? CurrentText { get; init; }

    /// <summary>Rules the answer must follow (one line each in the CONSTRAINTS section; <c>- none</c> when empty).</summary>
    public IReadOnlyList<string> Constraints { get; init; } = [];

    /// <summary>Examples for the model (the EXAMPLES section; <c>- none</c> when empty).</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];

    /// <summary>The model for this task; codex's configured one when null.</summary>
    public string? Model { get; init; }

    /// <summary>Reasoning effort; <c>medium</c> when null.</summary>
    public string? Effort { get; init; }

    /// <summary>Reasoning summary; codex's default when null.</summary>
    public ReasoningSummary? Summary { get; init; }

    /// <summary>The output schema; when null, the package's default for DocGenerate and DocEdit (<see cref="ArtifactSchemas"/>) and none for Passthrough.</summary>
    public JsonElement? OutputSchema { get; init; }
}
