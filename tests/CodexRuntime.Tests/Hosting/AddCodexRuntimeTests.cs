using CodexRuntime;
using CodexRuntime.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Tests.Hosting;

/// <summary>What <c>AddCodexRuntime</c> registers: one client per name, safe to call twice, open to add-on packages.</summary>
public sealed class AddCodexRuntimeTests
{
    [Fact]
    public async Task Calling_twice_registers_one_client_and_one_hosted_service_and_both_delegates_apply()
    {
        var services = new ServiceCollection();
        services.AddCodexRuntime(o => o.Runtime.Process.CodexHome = "/first").WithHostedService();
        services.AddCodexRuntime(o => o.Runtime.Connection.RequestTimeout = TimeSpan.FromSeconds(7)).WithHostedService();

        Assert.Single(services, d => d.ServiceType == typeof(CodexClient));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ClientConfig>));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<CodexClient>();
        Assert.Same(client, provider.GetRequiredService<CodexClient>());
        Assert.Equal("/first", client.Config.Runtime.Process.CodexHome);
        Assert.Equal(TimeSpan.FromSeconds(7), client.Config.Runtime.Connection.RequestTimeout);
        Assert.Single(provider.GetServices<IHostedService>());
        Assert.Equal([string.Empty], provider.GetRequiredService<IOptions<CodexHostedClients>>().Value.Names);
    }

    [Fact]
    public async Task The_apps_own_client_registration_wins()
    {
        await using var own = new CodexClient(new ClientConfig { Runtime = { Process = { CodexHome = "/own" } } });
        var services = new ServiceCollection().AddSingleton(own);
        services.AddCodexRuntime(o => o.Runtime.Process.CodexHome = "/from-add");

        await using var provider = services.BuildServiceProvider();

        Assert.Same(own, provider.GetRequiredService<CodexClient>());
    }

    [Fact]
    public async Task Resolving_the_client_starts_no_process()
    {
        await using var transports = new ScriptedTransports();
        var services = new ServiceCollection();
        services.AddCodexRuntime(transports.ApplyTo).WithHostedService();
        services.AddCodexRuntime("other", transports.ApplyTo);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<CodexClient>();
        var other = provider.GetRequiredKeyedService<CodexClient>("other");

        Assert.Equal(CodexConnectionStatus.NotStarted, client.Runtime.Status);
        Assert.Equal(CodexConnectionStatus.NotStarted, other.Runtime.Status);
        Assert.Null(client.ProcessId);
        Assert.Equal(0, transports.Count);
    }

    [Fact]
    public async Task Named_clients_are_distinct_keyed_singletons_with_their_own_options()
    {
        var services = new ServiceCollection();
        services.AddCodexRuntime("reviewer", o => o.Runtime.Process.CodexHome = "/reviewer")
            .WithDefaultProfile(p => p.Model = "review-model");
        services.AddCodexRuntime("writer", o => o.Runtime.Process.CodexHome = "/writer");
        services.AddSingleton<TwoClients>();
        await using var provider = services.BuildServiceProvider();

        var both = provider.GetRequiredService<TwoClients>();

        Assert.NotSame(both.Reviewer, both.Writer);
        Assert.Same(both.Reviewer, provider.GetRequiredKeyedService<CodexClient>("reviewer"));
        Assert.Equal("/reviewer", both.Reviewer.Config.Runtime.Process.CodexHome);
        Assert.Equal("review-model", both.Reviewer.Config.DefaultProfile.Model);
        Assert.Equal("/writer", both.Writer.Config.Runtime.Process.CodexHome);
        Assert.Null(both.Writer.Config.DefaultProfile.Model);
        Assert.Null(provider.GetService<CodexClient>());
    }

    [Fact]
    public void A_named_client_needs_a_name()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddCodexRuntime(" "));
        Assert.Throws<ArgumentException>(() => services.AddCodexRuntime(string.Empty));
    }

    [Fact]
    public async Task Options_registered_by_another_package_with_TryAddEnumerable_apply()
    {
        var services = new ServiceCollection();
        var builder = services.AddCodexRuntime(o => o.Runtime.Process.CodexHome = "/app");
        services.AddCodexRuntime("named");
        // What an add-on's With* extension does: register its setup once, whatever the number of calls.
        AddOnExtension(builder);
        AddOnExtension(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ClientConfig>, EveryClientSetup>());
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<CodexClient>();
        var named = provider.GetRequiredKeyedService<CodexClient>("named");

        // A plain IConfigureOptions reaches the default client only (Options semantics); IConfigureNamedOptions every client.
        Assert.Equal(["--from-add-on"], client.Config.Runtime.Process.ExtraArguments);
        Assert.Empty(named.Config.Runtime.Process.ExtraArguments);
        Assert.Equal("every client", client.Config.Runtime.Process.Environment["ADD_ON"]);
        Assert.Equal("every client", named.Config.Runtime.Process.Environment["ADD_ON"]);
        Assert.Equal("/app", client.Config.Runtime.Process.CodexHome);
    }

    private static ICodexRuntimeBuilder AddOnExtension(ICodexRuntimeBuilder builder)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ClientConfig>, DefaultClientSetup>());
        return builder;
    }

    private sealed class TwoClients([FromKeyedServices("reviewer")] CodexClient reviewer, [FromKeyedServices("writer")] CodexClient writer)
    {
        public CodexClient Reviewer { get; } = reviewer;

        public CodexClient Writer { get; } = writer;
    }

    private sealed class DefaultClientSetup : IConfigureOptions<ClientConfig>
    {
        public void Configure(ClientConfig options) => options.Runtime.Process.ExtraArguments.Add("--from-add-on");
    }

    private sealed class EveryClientSetup : IConfigureNamedOptions<ClientConfig>
    {
        public void Configure(ClientConfig options) => Configure(Options.DefaultName, options);

        public void Configure(string? name, ClientConfig options) => options.Runtime.Process.Environment["ADD_ON"] = "every client";
    }
}
