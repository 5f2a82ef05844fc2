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
    public const string Newest = "0.169.0";
    public const string Floor = "0.104.0";

    /// <summary>Every supported end of the range; real-binary tests are theories over these.</summary>
    public static TheoryData<string> Versions => new() { Newest, Floor };

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Installs = new();

    public static Task<string> GetBinaryAsync(string version) =>
        Installs.GetOrAdd(version, v => new Lazy<Task<string>>(() => InstallAsync(v))).Value;

    private static Task<string> InstallAsync(string version) =>
        Task.Run(() => CodexInstaller.Install(RepositoryLayout.Root, version));
}
