namespace CodexRuntime.Automation.Tests.Support;

/// <summary>
/// A test class's scripted codex and a JSON state store in a folder of its own, both new for each test and removed
/// after it: what the tests of restarts and of ownership share.
/// </summary>
public abstract class ScriptedCodexOnStore : IAsyncLifetime
{
    /// <summary>The store's folder.</summary>
    private protected DirectoryInfo Folder { get; } = Directory.CreateTempSubdirectory("codex-automation-store-");

    /// <summary>The scripted codex (a session per run).</summary>
    private protected ScriptedCodex Codex { get; private set; } = null!;

    /// <summary>The store over <see cref="Folder"/>.</summary>
    private protected JsonFileAutomationStateStore Store { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Codex = await ScriptedCodex.StartAsync();
        Store = new JsonFileAutomationStateStore(Folder.FullName);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Codex.DisposeAsync();
        Folder.Delete(recursive: true);
    }
}
