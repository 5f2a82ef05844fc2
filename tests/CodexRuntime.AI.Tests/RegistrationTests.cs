using CodexRuntime.AI.Tests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace CodexRuntime.AI.Tests;

/// <summary>
/// <c>AddCodexRuntime().AddChatClient(...)</c> returns M.E.AI's builder (middleware added there runs), keyed and named
/// forms resolve, and <c>AddCodexAgent</c> registers a keyed <see cref="AIAgent"/>; all on the real binary.
/// </summary>
public sealed class RegistrationTests
{
    private const string Source = "CodexRuntime.AI.Tests.Registration";

    [Fact]
    public async Task The_chat_client_and_an_agent_come_from_DI_with_the_apps_middleware()
    {
        await using var sandbox = await CodexSandbox.CreateAsync(CodexVersions.Newest, "never",
            FakeModelResponse.Text("from DI"), FakeModelResponse.Text("from the agent"));
        using var recorded = new RecordedActivities(Source);
        var services = new ServiceCollection();
        var codex = services.AddCodexRuntime(config => config.Runtime = sandbox.ClientConfig().Runtime);
        codex.AddChatClient(_ => new SessionConfig(sandbox.Workspace.FullName)).UseOpenTelemetry(sourceName: Source);
        codex.AddCodexAgent("reviewer", _ => new SessionConfig(sandbox.Workspace.FullName), instructions: "You review.");
        await using var provider = services.BuildServiceProvider();
        using var deadline = new CancellationTokenSource(CodexSandbox.Deadline);

        var chat = provider.GetRequiredService<IChatClient>();
        Assert.Equal("from DI", (await chat.GetResponseAsync("hello", cancellationToken: deadline.Token)).Text);
        Assert.Same(provider.GetRequiredService<CodexClient>(), chat.GetService<CodexClient>());
        Assert.Equal("codex", chat.GetService<ChatClientMetadata>()?.ProviderName);
        Assert.Single(recorded.Stopped);

        var agent = Assert.IsType<CodexAgent>(provider.GetRequiredKeyedService<AIAgent>("reviewer"));
        Assert.Equal("reviewer", agent.Name);
        Assert.Equal("from the agent", (await agent.RunAsync("review", cancellationToken: deadline.Token)).Text);
        Assert.Contains("You review.", sandbox.Model.ModelRequests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_runtime_gives_a_keyed_chat_client_on_its_own_client()
    {
        await using var sandbox = await CodexSandbox.CreateAsync(CodexVersions.Newest, "never", FakeModelResponse.Text("keyed"));
        var services = new ServiceCollection();
        services.AddCodexRuntime("second", config => config.Runtime = sandbox.ClientConfig().Runtime)
            .AddKeyedChatClient("codex-chat", _ => new SessionConfig(sandbox.Workspace.FullName));
        await using var provider = services.BuildServiceProvider();
        using var deadline = new CancellationTokenSource(CodexSandbox.Deadline);

        var chat = provider.GetRequiredKeyedService<IChatClient>("codex-chat");
        Assert.Equal("keyed", (await chat.GetResponseAsync("hello", cancellationToken: deadline.Token)).Text);
        Assert.Same(provider.GetRequiredKeyedService<CodexClient>("second"), chat.GetService<CodexClient>());
        Assert.Null(provider.GetService<IChatClient>());
    }
}
