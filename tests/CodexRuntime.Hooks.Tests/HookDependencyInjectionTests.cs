using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Hooks.Tests;

public sealed class HookDependencyInjectionTests
{
    [Fact]
    public async Task UseHooks_resolves_hooks_from_the_container_into_the_named_clients_interceptors_only()
    {
        var services = new ServiceCollection();
        services.AddSingleton<Counter>();
        services.AddSingleton<CountingPreHook>();
        services.AddCodexRuntime("reviewer").UseHooks((hooks, provider) => hooks.Add(provider.GetRequiredService<CountingPreHook>()));
        await using var provider = services.BuildServiceProvider();

        var named = provider.GetRequiredService<IOptionsMonitor<ClientConfig>>().Get("reviewer");
        var interceptor = Assert.Single(named.Interceptors);
        await TestHooks.CallEveryHandledPhaseAsync(interceptor);

        Assert.Equal(nameof(CountingPreHook), interceptor.Name);
        Assert.Same(provider.GetRequiredService<CountingPreHook>(), interceptor);
        Assert.Equal(TestHooks.PrePhases.Length, provider.GetRequiredService<Counter>().Value);
        Assert.Empty(provider.GetRequiredService<IOptionsMonitor<ClientConfig>>().Get(Options.DefaultName).Interceptors);
    }

    [Fact]
    public async Task Nothing_is_resolved_until_the_clients_options_are_built()
    {
        var counter = new Counter();
        var services = new ServiceCollection();
        services.AddSingleton(counter);
        services.AddSingleton<CountingPreHook>(provider =>
        {
            provider.GetRequiredService<Counter>().Increment();
            return new CountingPreHook(provider.GetRequiredService<Counter>());
        });
        services.AddCodexRuntime().UseHooks((hooks, provider) => hooks.Add(provider.GetRequiredService<CountingPreHook>(), HookMatcher.ForPhases(CodexRunPhase.PreTurn)));
        await using var provider = services.BuildServiceProvider();
        Assert.Equal(0, counter.Value);

        var interceptor = Assert.Single(provider.GetRequiredService<IOptions<ClientConfig>>().Value.Interceptors);

        Assert.Equal(1, counter.Value);
        Assert.Equal([CodexRunPhase.PreTurn], TestHooks.Handled(interceptor));
    }

    [Fact]
    public async Task Delegate_and_shell_hooks_go_to_the_builders_client_and_calling_twice_leaves_one()
    {
        var recorder = new Recorder();
        var services = new ServiceCollection();
        services.AddCodexRuntime("a")
            .UseHooks((hooks, _) => hooks
                .Pre("pre", recorder.Pre)
                .Post("post", recorder.Post)
                .Shell("shell", "true", HookMatcher.Pre)
                .Shell("shell-post", "true", HookMatcher.ForPhases(CodexRunPhase.PostTurn)))
            .UseHooks((hooks, _) => hooks.Pre("pre", recorder.Pre));
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

    /// <summary>A hook with a constructor dependency, taking the pre phases only.</summary>
    internal sealed class CountingPreHook(Counter counter) : ICodexRunInterceptor
    {
        public string Name => nameof(CountingPreHook);

        public bool Handles(CodexRunPhase phase) => TestHooks.PrePhases.Contains(phase);

        public ValueTask<CodexInterceptorDecision> InterceptAsync(CodexRunContext context, CancellationToken cancellationToken)
        {
            counter.Increment();
            return ValueTask.FromResult(CodexInterceptorDecision.Continue);
        }
    }
}
