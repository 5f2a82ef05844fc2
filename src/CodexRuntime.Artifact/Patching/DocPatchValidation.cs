namespace CodexRuntime.Artifact.Patching;

/// <summary>The outcome of <see cref="DocPatches.ValidateDocPatch"/>: valid, or the first problem found.</summary>
/// <param name="Error">Why the patch was refused; <see cref="DocPatchError.None"/> when it is valid.</param>
/// <param name="EditIndex">The 0-based index of the edit at fault, when one is.</param>
/// <param name="Message">What is wrong, with the numbers involved; empty when valid.</param>
public sealed record DocPatchValidation(DocPatchError Error, int? EditIndex, string Message)
{
    /// <summary>The result for a valid patch.</summary>
    public static DocPatchValidation Valid { get; } = new(DocPatchError.None, null, string.Empty);

    /// <summary>Whether the patch can be applied.</summary>
    public bool IsValid => Error == DocPatchError.None;
}
