using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodexRuntime.Hooks;

/// <summary>
/// Hooks for a client registered with <c>services.AddCodexRuntime(...)</c>: each method adds a global hook to the
/// builder's client (<see cref="ICodexRuntimeBuilder.Name"/>) through a named
/// <see cref="Microsoft.Extensions.Options.IConfigureNamedOptions{TOptions}"/> of <see cref="ClientConfig"/>, so it
/// lands in that client's <see cref="ClientConfig.Interceptors"/> when its options are built. Each returns the same
/// builder; calling one twice for the same hook name leaves one hook (the later replaces the earlier).
/// </summary>
public static class HookRuntimeBuilderExtensions
{
    /// <summary>Adds <typeparamref name="THook"/>, resolved from the container (registered as a singleton with <c>TryAdd</c>, so the app's own registration wins), as a global pre hook.</summary>
    /// <typeparam name="THook">The hook type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder WithPreHook<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THook>(this ICodexRuntimeBuilder builder)
        where THook : class, IPreHook =>
        builder.AddFromContainer<THook>((config, hook) => config.WithGlobalPreHook(hook));

    /// <summary>Adds <typeparamref name="THook"/>, resolved from the container (registered as a singleton with <c>TryAdd</c>), as a global post hook.</summary>
    /// <typeparam name="THook">The hook type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder WithPostHook<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THook>(this ICodexRuntimeBuilder builder)
        where THook : class, IPostHook =>
        builder.AddFromContainer<THook>((config, hook) => config.WithGlobalPostHook(hook));

    /// <summary>Adds <paramref name="hook"/> as a global pre hook of the builder's client.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="hook">The hook (shared by every options instance of the client).</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder WithPreHook(this ICodexRuntimeBuilder builder, IPreHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return builder.Configure(config => config.WithGlobalPreHook(hook));
    }

    /// <summary>Adds <paramref name="hook"/> as a global post hook of the builder's client.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder WithPostHook(this ICodexRuntimeBuilder builder, IPostHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return builder.Configure(config => config.WithGlobalPostHook(hook));
    }

    /// <summary>Adds a <see cref="ShellCommandHook"/> as a global pre hook of the builder's client.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The hook's name.</param>
    /// <param name="command">The shell command.</param>
    /// <param name="matcher">Which calls reach the command; every pre phase when null.</param>
    /// <param name="timeout">The command's timeout; 5 s when null.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder WithShellPreHook(this ICodexRuntimeBuilder builder, string name, string command, HookMatcher? matcher = null, TimeSpan? timeout = null) =>
        builder.WithPreHook(HookConfigExtensions.ShellPreHook(name, command, matcher, timeout));

    /// <summary>Adds a <see cref="ShellCommandHook"/> as a global post hook of the builder's client.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The hook's name.</param>
    /// <param name="command">The shell command.</param>
    /// <param name="matcher">Which calls reach the command; every post phase when null.</param>
    /// <param name="timeout">The command's timeout; 5 s when null.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder WithShellPostHook(this ICodexRuntimeBuilder builder, string name, string command, HookMatcher? matcher = null, TimeSpan? timeout = null) =>
        builder.WithPostHook(HookConfigExtensions.ShellPostHook(name, command, matcher, timeout));

    /// <summary>Registers <typeparamref name="THook"/> (TryAdd singleton) and a named configure step for the builder's client that adds it.</summary>
    /// <remarks>The container creates <typeparamref name="THook"/> through its public constructor: the annotation keeps it under trimming.</remarks>
    private static ICodexRuntimeBuilder AddFromContainer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THook>(this ICodexRuntimeBuilder builder, Action<ClientConfig, THook> add)
        where THook : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<THook>();
        builder.Services.AddOptions<ClientConfig>(builder.Name).Configure(add);
        return builder;
    }
}
