namespace CodexRuntime.Automation;

/// <summary>
/// One checkpoint a state store holds, as <see cref="IAutomationStateStore.ListAsync"/> reports it: the checkpoint, or
/// for a damaged one what is wrong with it (a damaged checkpoint is reported, never thrown, so one bad file cannot hide
/// the others).
/// </summary>
/// <param name="Name">
/// The automation's name as the checkpoint records it (never derived from a file name, which may be escaped or
/// hashed); null when a damaged checkpoint does not record a usable one.
/// </param>
/// <param name="Location">Where the store keeps it (the JSON store: the file's absolute path), so an operator can find it.</param>
/// <param name="Checkpoint">The checkpoint, checked as <see cref="IAutomationStateStore.LoadAsync"/> checks it; null when damaged.</param>
/// <param name="Problem">Why the checkpoint is damaged (the message <see cref="IAutomationStateStore.LoadAsync"/> would throw); null when it is whole.</param>
public sealed record AutomationCheckpointEntry(string? Name, string Location, AutomationCheckpoint? Checkpoint, string? Problem)
{
    /// <summary>True when the checkpoint could not be read: starting its automation would fail until it is fixed or deleted.</summary>
    public bool IsDamaged => Checkpoint is null;
}
