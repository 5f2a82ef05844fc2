using System.Collections.Concurrent;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Automation.Tests.RealBinary;

/// <summary>
/// The real codex binaries at both ends of the supported range (build/codex-versions), installed on first use; a
/// failed install fails the test (never a skip: a skipped real-binary test proves nothing).
/// </summary>
internal static class CodexVersions
{
    public static readonly string Newest = CodexRuntime.Protocol.CodexProtocolVersions.Pinned.ToString();

    public static readonly string Floor = CodexRuntime.Protocol.CodexProtocolVersions.Floor.ToString();

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Installs = new();

    public static TheoryData<string> Both => new() { Newest, Floor };

    public static Task<string> BinaryAsync(string version) =>
        Installs.GetOrAdd(version, v => new Lazy<Task<string>>(() => Task.Run(() => CodexRuntime.Build.CodexInstaller.Install(RepositoryLayout.Root, v)))).Value;
}

/// <summary>The real-binary tests run one at a time: the stop-latency figure is not shared with another codex's start.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealCodexCollection
{
    public const string Name = "real codex";
}
