using System.Collections.Concurrent;
using CodexRuntime.Build;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.IntegrationTests.Support;

/// <summary>
/// The real codex binaries, installed on first use by build/install-codex.sh (idempotent, fast when present). A
/// failed install fails the test: these tests never skip, because a skipped real-binary test proves nothing.
/// </summary>
internal static class CodexInstallations
{
    /// <summary>The newest supported codex: the one the protocol is generated from (build/codex-versions).</summary>
    public static readonly string Newest = global::CodexRuntime.Protocol.CodexProtocolVersions.Pinned.ToString();

    /// <summary>The oldest supported codex.</summary>
    public static readonly string Floor = global::CodexRuntime.Protocol.CodexProtocolVersions.Floor.ToString();

    /// <summary>Every supported end of the range; real-binary tests are theories over these.</summary>
    public static TheoryData<string> Versions => new() { Newest, Floor };

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Installs = new();

    public static Task<string> GetBinaryAsync(string version) =>
        Installs.GetOrAdd(version, v => new Lazy<Task<string>>(() => InstallAsync(v))).Value;

    private static Task<string> InstallAsync(string version) =>
        Task.Run(() => CodexInstaller.Install(RepositoryLayout.Root, version));
}
