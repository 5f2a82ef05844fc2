using CodexRuntime.Interception;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Hooks.Tests;

public sealed class HookDependencyInjectionTests
{
    [Fact]
    public async Task WithPreHook_of_T_resolves_the_hook_from_the_container_into_the_named_clients_interceptors()
    {
        var services = new ServiceCollection();
        services.AddSingleton<Counter>();
        services.AddCodexRuntime("reviewer").WithPreHook<CountingPreHook>();
        await using var provider = services.BuildServiceProvider();

        var named = provider.GetRequiredService<IOptionsMonitor<ClientConfig>>().Get("reviewer");
        var interceptor = Assert.Single(named.Interceptors);
        await interceptor.InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn), CancellationToken.None);
        await interceptor.InterceptAsync(TestHooks.Context(CodexRunPhase.PostTurn), CancellationToken.None);

        Assert.Equal(nameof(CountingPreHook), interceptor.Name);
        Assert.Equal(1, provider.GetRequiredService<Counter>().Value);
        Assert.Empty(provider.GetRequiredService<IOptionsMonitor<ClientConfig>>().Get(Options.DefaultName).Interceptors);
    }

    [Fact]
    public async Task WithPostHook_of_T_uses_the_apps_own_registration_when_there_is_one()
    {
        var own = new CountingPostHook(new Counter());
        var services = new ServiceCollection();
        services.AddSingleton(own);
        services.AddCodexRuntime().WithPostHook<CountingPostHook>();
        await using var provider = services.BuildServiceProvider();

        var interceptor = Assert.Single(provider.GetRequiredService<IOptions<ClientConfig>>().Value.Interceptors);
        await interceptor.InterceptAsync(TestHooks.Context(CodexRunPhase.PostRun), CancellationToken.None);

        Assert.Equal(1, own.Counter.Value);
    }

    [Fact]
    public async Task Instance_and_shell_overloads_add_to_the_builders_client_and_calling_twice_leaves_one()
    {
        var services = new ServiceCollection();
        services.AddCodexRuntime("a")
            .WithPreHook(new RecordingPreHook("pre"))
            .WithPostHook(new RecordingPostHook("post"))
            .WithShellPreHook("shell", "true")
            .WithShellPostHook("shell-post", "true", HookMatcher.ForPhases(CodexRunPhase.PostTurn))
            .WithPreHook(new RecordingPreHook("pre"));
        await using var provider = services.BuildServiceProvider();

        var interceptors = provider.GetRequiredService<IOptionsMonitor<ClientConfig>>().Get("a").Interceptors;

        Assert.Equal(["pre", "post", "shell", "shell-post"], interceptors.Select(i => i.Name));
    }

    internal sealed class Counter
    {
        private int _value;

        public int Value => _value;

        public void Increment() => Interlocked.Increment(ref _value);
    }

    internal sealed class CountingPreHook(Counter counter) : IPreHook
    {
        public string Name => nameof(CountingPreHook);

        public ValueTask<HookAction> OnPreAsync(HookContext context, CancellationToken cancellationToken)
        {
            counter.Increment();
            return ValueTask.FromResult(HookAction.Noop);
        }
    }

    internal sealed class CountingPostHook(Counter counter) : IPostHook
    {
        public Counter Counter => counter;

        public string Name => nameof(CountingPostHook);

        public ValueTask OnPostAsync(HookContext context, CancellationToken cancellationToken)
        {
            counter.Increment();
            return ValueTask.CompletedTask;
        }
    }
}
