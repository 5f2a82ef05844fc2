using System.Collections.Concurrent;
using CodexRuntime.Protocol;

namespace CodexRuntime.Tests.Shared;

/// <summary>
/// The real codex binaries at both ends of the supported range (build/codex-versions), installed on first use by
/// build/install-codex.sh (idempotent, fast when present). A failed install fails the test: real-binary tests never
/// skip, because a skipped real-binary test proves nothing.
/// </summary>
internal static class CodexVersions
{
    /// <summary>The newest supported codex: the one the protocol is generated from.</summary>
    public static readonly string Newest = CodexProtocolVersions.Pinned.ToString();

    /// <summary>The oldest supported codex.</summary>
    public static readonly string Floor = CodexProtocolVersions.Floor.ToString();

    // One install per version per test process, however many tests ask at once.
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Installs = new();

    /// <summary>Newest and floor; real-binary tests are theories over both.</summary>
    public static TheoryData<string> Both => new() { Newest, Floor };

    /// <summary>The path of the installed binary of <paramref name="version"/>, installing it first if it is missing.</summary>
    public static Task<string> BinaryAsync(string version) =>
        Installs.GetOrAdd(version, v => new Lazy<Task<string>>(() => Task.Run(() => CodexRuntime.Build.CodexInstaller.Install(RepositoryLayout.Root, v)))).Value;
}
