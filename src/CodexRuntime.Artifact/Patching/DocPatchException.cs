namespace CodexRuntime.Artifact.Patching;

/// <summary>A <see cref="DocPatch"/> could not be applied; <see cref="Error"/> says why (a revision mismatch is a conflict).</summary>
public sealed class DocPatchException : CodexException
{
    /// <summary>Creates the exception from a failed validation.</summary>
    /// <param name="validation">The validation that failed.</param>
    public DocPatchException(DocPatchValidation validation)
        : base((validation ?? throw new ArgumentNullException(nameof(validation))).Message)
    {
        Validation = validation;
    }

    /// <summary>Why the patch was refused.</summary>
    public DocPatchError Error => Validation.Error;

    /// <summary>The full validation result (the edit at fault, the message).</summary>
    public DocPatchValidation Validation { get; }
}
