// The real codex versions and sandbox are shared by every test project (tests/Shared); the aliases keep the names in this project's tests.
global using CodexSandbox = CodexRuntime.Tests.Shared.CodexSandbox;
global using CodexVersions = CodexRuntime.Tests.Shared.CodexVersions;

namespace CodexRuntime.Automation.Tests.RealBinary;

/// <summary>The real-binary tests run one at a time: the stop-latency figure is not shared with another codex's start.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealCodexCollection
{
    public const string Name = "real codex";
}
