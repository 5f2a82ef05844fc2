namespace CodexRuntime.Artifact;

/// <summary>An artifact as a store holds it: its id, text and meta.</summary>
/// <param name="ArtifactId">The artifact's id, exactly as given.</param>
/// <param name="Text">The text.</param>
/// <param name="Meta">The meta; its revision is always the text's.</param>
public sealed record ArtifactRecord(string ArtifactId, string Text, ArtifactMeta Meta)
{
    /// <summary>The text's revision.</summary>
    public string Revision => Meta.Revision;

    /// <summary>True when the stored meta named another revision than the text has (the text changed outside a save); <see cref="Meta"/> holds the repaired one.</summary>
    public bool RevisionRepaired { get; init; }
}
