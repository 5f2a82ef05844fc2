using CodexRuntime.Tests.Shared;

namespace CodexRuntime.IntegrationTests.Support;

/// <summary>This project's names for the shared <see cref="CodexVersions"/> (installed on first use, never skipped).</summary>
internal static class CodexInstallations
{
    /// <summary>The newest supported codex: the one the protocol is generated from (build/codex-versions).</summary>
    public static readonly string Newest = CodexVersions.Newest;

    /// <summary>The oldest supported codex.</summary>
    public static readonly string Floor = CodexVersions.Floor;

    /// <summary>Every supported end of the range; real-binary tests are theories over these.</summary>
    public static TheoryData<string> Versions => CodexVersions.Both;

    public static Task<string> GetBinaryAsync(string version) => CodexVersions.BinaryAsync(version);
}
