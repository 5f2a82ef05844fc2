using System.Collections.Concurrent;
using CodexRuntime.Protocol;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Artifact.Tests.Support;

/// <summary>The real codex binaries at both ends of the supported range, installed on first use (a failed install fails the test, never skips it).</summary>
internal static class CodexVersions
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Installs = new();

    /// <summary>Newest and floor (build/codex-versions); real-binary tests are theories over both.</summary>
    public static TheoryData<string> Both => new() { CodexProtocolVersions.Pinned.ToString(), CodexProtocolVersions.Floor.ToString() };

    public static Task<string> BinaryAsync(string version) =>
        Installs.GetOrAdd(version, v => new Lazy<Task<string>>(() => Task.Run(() => CodexRuntime.Build.CodexInstaller.Install(RepositoryLayout.Root, v)))).Value;
}
