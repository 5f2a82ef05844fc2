using CodexRuntime.Artifact;
using CodexRuntime.Artifact.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Artifact.Tests;

/// <summary>The manager without codex: the contract gate, the prompt's sections, option checks, and the DI registration.</summary>
public sealed class ArtifactManagerTests
{
    [Fact]
    public void Contract_versions_are_compatible_when_their_majors_match()
    {
        Assert.Equal(new PluginContractVersion(1, 0), PluginContractVersion.Current);
        Assert.True(new PluginContractVersion(1, 7).IsCompatibleWith(PluginContractVersion.Current));
        Assert.False(new PluginContractVersion(2, 0).IsCompatibleWith(PluginContractVersion.Current));
        Assert.Equal("1.0", PluginContractVersion.Current.ToString());
    }

    [Fact]
    public async Task An_incompatible_contract_is_refused_before_open_and_before_a_task_and_codex_is_not_started()
    {
        using var root = new TempFolder();
        await using var client = new CodexClient(new ClientConfig());
        await using var manager = new ArtifactSessionManager(client, new FsArtifactStore(root.Path), new ArtifactOptions { Contract = new PluginContractVersion(2, 0) });

        var open = await Assert.ThrowsAsync<ArtifactException>(() => manager.OpenAsync("doc"));
        var task = await Assert.ThrowsAsync<ArtifactException>(() => manager.RunTaskAsync(new ArtifactTaskSpec("doc", ArtifactTaskKind.DocGenerate, "Write it.")));

        Assert.Equal((ArtifactErrorKind.IncompatibleContract, ArtifactErrorKind.IncompatibleContract), (open.Kind, task.Kind));
        Assert.Contains("2.0", open.Message, StringComparison.Ordinal);
        Assert.Null(client.ProcessId);
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));
    }

    [Fact]
    public void The_prompt_has_its_sections_in_order_and_the_text_exactly()
    {
        var spec = new ArtifactTaskSpec("doc", ArtifactTaskKind.DocEdit, "  Fix the typo.  ") { Constraints = ["Keep the title.", " "], Examples = [] };
        var text = "Helo\r\nworld";
        var prompt = ArtifactPrompt.Build(spec, new ArtifactMeta("Greeting", "markdown", "ignored", null), text);

        Assert.StartsWith("ROLE:\nYou are a documentation engine. You use no tools", prompt, StringComparison.Ordinal);
        Assert.Contains("\n\nGOAL:\nFix the typo.\n\nCONSTRAINTS:\n- Keep the title.\n\nCONTEXT:\n- task: DocEdit\n- artifact: doc\n- title: Greeting\n- format: markdown\n- revision: " + Patching.DocPatches.ComputeRevision(text) + "\n- lines: 2\n", prompt, StringComparison.Ordinal);
        Assert.Contains("\nEXAMPLES:\n- none\n\nCURRENT_TEXT_BEGIN\nHelo\r\nworld\nCURRENT_TEXT_END\n", prompt, StringComparison.Ordinal);
        Assert.True(prompt.IndexOf("ROLE:", StringComparison.Ordinal) < prompt.IndexOf("GOAL:", StringComparison.Ordinal));
        Assert.Contains("CONSTRAINTS:\n- none\n", ArtifactPrompt.Build(spec with { Constraints = [] }, new ArtifactMeta("t", "markdown", "r", null), string.Empty), StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_schemas_require_the_keys_of_their_kind()
    {
        Assert.Equal(["format", "title", "text"], ArtifactSchemas.DocGenerate.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["format", "expectedRevision", "edits", "notes"], ArtifactSchemas.DocEdit.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Null(ArtifactSchemas.For(ArtifactTaskKind.Passthrough));
    }

    [Fact]
    public async Task Options_out_of_range_are_refused_with_the_setting_named()
    {
        await using var client = new CodexClient(new ClientConfig());
        using var root = new TempFolder();
        var error = Assert.Throws<ArgumentException>(() => new ArtifactSessionManager(client, new FsArtifactStore(root.Path), new ArtifactOptions { TaskTimeout = TimeSpan.Zero }));
        Assert.Contains("ArtifactOptions.TaskTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddArtifacts_registers_a_store_and_a_manager_over_the_builders_client_without_touching_the_disk()
    {
        using var root = new TempFolder();
        var store = Path.Combine(root.Path, "artifacts");
        var services = new ServiceCollection();
        services.AddCodexRuntime().AddArtifacts(o => o.Root = store);
        services.AddCodexRuntime("second").AddArtifacts(o =>
        {
            o.Root = Path.Combine(root.Path, "second");
            o.KeptRevisions = 3;
        });
        await using var provider = services.BuildServiceProvider();

        var manager = provider.GetRequiredService<ArtifactSessionManager>();
        Assert.Same(provider.GetRequiredService<CodexClient>(), manager.Client);
        Assert.Same(provider.GetRequiredService<IArtifactStore>(), manager.Store);
        Assert.Equal(store, Assert.IsType<FsArtifactStore>(manager.Store).Root);
        Assert.Equal(store, manager.Options.WorkingDirectory);

        var second = provider.GetRequiredKeyedService<ArtifactSessionManager>("second");
        Assert.Same(provider.GetRequiredKeyedService<CodexClient>("second"), second.Client);
        Assert.Equal((Path.Combine(root.Path, "second"), 3), (Assert.IsType<FsArtifactStore>(second.Store).Root, second.Options.KeptRevisions));
        Assert.NotSame(manager.Store, second.Store);
        Assert.False(Directory.Exists(store));
        Assert.Null(manager.Client.ProcessId);
    }

    [Fact]
    public async Task AddArtifacts_without_a_root_fails_validation_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddCodexRuntime().AddArtifacts(_ => { });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ArtifactSessionManager>());
        Assert.Contains("ArtifactOptions.Root", error.Message, StringComparison.Ordinal);
    }
}
