using Microsoft.Extensions.Options;

namespace CodexRuntime.Artifact;

/// <summary>Validates <see cref="ArtifactOptions"/> of every name registered by <c>AddArtifacts</c> (the root is required there).</summary>
internal sealed class ArtifactOptionsValidator : IValidateOptions<ArtifactOptions>
{
    public ValidateOptionsResult Validate(string? name, ArtifactOptions options)
    {
        var problems = options.Validate(requireRoot: true);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
