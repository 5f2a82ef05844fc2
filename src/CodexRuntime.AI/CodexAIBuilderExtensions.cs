using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodexRuntime.AI;

/// <summary>
/// Registers codex as M.E.AI's <see cref="IChatClient"/> and as Agent Framework agents on an
/// <see cref="ICodexRuntimeBuilder"/> (<c>services.AddCodexRuntime().AddChatClient(...)</c>), on the builder's
/// <see cref="CodexClient"/> (the default one, or the named one of <c>AddCodexRuntime(name)</c>).
/// </summary>
public static class CodexAIBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="CodexChatClient"/> as the <see cref="IChatClient"/> and returns M.E.AI's
    /// <see cref="ChatClientBuilder"/>, so the app adds <c>UseOpenTelemetry</c>, <c>UseLogging</c>,
    /// <c>UseDistributedCache</c> as with any chat client.
    /// </summary>
    /// <param name="builder">The codex runtime registration.</param>
    /// <param name="session">Where and how the chat client's threads run (called once, when the client is built).</param>
    /// <param name="lifetime">The chat client's lifetime; a singleton keeps its open threads for the app's life.</param>
    /// <returns>M.E.AI's builder of the registered pipeline.</returns>
    public static ChatClientBuilder AddChatClient(this ICodexRuntimeBuilder builder, Func<IServiceProvider, SessionConfig> session, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(session);
        var name = builder.Name;
        return builder.Services.AddChatClient(provider => new CodexChatClient(Client(provider, name), session(provider)), lifetime);
    }

    /// <summary>Registers a <see cref="CodexChatClient"/> as a keyed <see cref="IChatClient"/>; see <see cref="AddChatClient"/>.</summary>
    /// <param name="builder">The codex runtime registration.</param>
    /// <param name="serviceKey">The key to resolve the chat client with.</param>
    /// <param name="session">Where and how the chat client's threads run.</param>
    /// <param name="lifetime">The chat client's lifetime.</param>
    /// <returns>M.E.AI's builder of the registered pipeline.</returns>
    public static ChatClientBuilder AddKeyedChatClient(this ICodexRuntimeBuilder builder, object serviceKey, Func<IServiceProvider, SessionConfig> session, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(session);
        var name = builder.Name;
        return builder.Services.AddKeyedChatClient(serviceKey, provider => new CodexChatClient(Client(provider, name), session(provider)), lifetime);
    }

    /// <summary>
    /// Registers a <see cref="CodexAgent"/> as a keyed singleton <see cref="AIAgent"/> under its name
    /// (<c>GetRequiredKeyedService&lt;AIAgent&gt;(name)</c>), with a chat client of its own.
    /// </summary>
    /// <param name="builder">The codex runtime registration.</param>
    /// <param name="name">The agent's name and service key.</param>
    /// <param name="session">Where and how the agent's threads run.</param>
    /// <param name="instructions">Developer instructions for the agent's new threads.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder AddCodexAgent(this ICodexRuntimeBuilder builder, string name, Func<IServiceProvider, SessionConfig> session, string? instructions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(session);
        var client = builder.Name;
        builder.Services.AddKeyedSingleton<AIAgent>(name, (provider, _) => new CodexAgent(new CodexChatClient(Client(provider, client), session(provider)), name, instructions));
        return builder;
    }

    /// <summary>The builder's client: the default one, or the keyed one of a named registration.</summary>
    private static CodexClient Client(IServiceProvider provider, string name) =>
        name == Options.DefaultName ? provider.GetRequiredService<CodexClient>() : provider.GetRequiredKeyedService<CodexClient>(name);
}
