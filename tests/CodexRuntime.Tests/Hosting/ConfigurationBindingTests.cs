using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using CodexRuntime.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodexRuntime.Tests.Hosting;

/// <summary>Options bound from the <c>CodexRuntime</c> section (and <c>CodexRuntime:Clients:&lt;name&gt;</c>).</summary>
public sealed class ConfigurationBindingTests
{
    [Fact]
    public async Task The_CodexRuntime_section_fills_process_settings_and_the_default_profile()
    {
        var cliPath = Environment.ProcessPath!;   // any existing file: options are validated when the client is created
        await using var provider = ConfiguredServices.Build(new()
        {
            ["CodexRuntime:CliPath"] = cliPath,
            ["CodexRuntime:CodexHome"] = "/srv/codex-home",
            ["CodexRuntime:RequestTimeout"] = "00:00:30",
            ["CodexRuntime:ExtraArguments:0"] = "-c",
            ["CodexRuntime:ExtraArguments:1"] = "model_verbosity=low",
            ["CodexRuntime:Environment:RUST_LOG"] = "warn",
            ["CodexRuntime:Runtime:Process:ShutdownTimeout"] = "00:00:03",
            ["CodexRuntime:DefaultProfile:Model"] = "x",
            ["CodexRuntime:DefaultProfile:Effort"] = "high",
            ["CodexRuntime:DefaultProfile:Timeout"] = "00:05:00",
            ["CodexRuntime:DefaultProfile:Sandbox"] = "ReadOnly",
            ["CodexRuntime:DefaultProfile:ApprovalPolicy"] = "OnRequest",
            ["CodexRuntime:Hooks:Unrelated"] = "an add-on's own section is ignored here",
        }, services => services.AddCodexRuntime());

        var config = provider.GetRequiredService<CodexClient>().Config;

        Assert.Equal(cliPath, config.Runtime.Process.ExecutablePath);
        Assert.Equal(cliPath, config.Runtime.Process.ExecutablePath);
        Assert.Equal("/srv/codex-home", config.Runtime.Process.CodexHome);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Runtime.Connection.RequestTimeout);
        Assert.Equal(["-c", "model_verbosity=low"], config.Runtime.Process.ExtraArguments);
        Assert.Equal("warn", config.Runtime.Process.Environment["RUST_LOG"]);
        Assert.Equal(TimeSpan.FromSeconds(3), config.Runtime.Process.ShutdownTimeout);
        Assert.Equal("x", config.DefaultProfile.Model);
        Assert.Equal("high", config.DefaultProfile.Effort);
        Assert.Equal(TimeSpan.FromMinutes(5), config.DefaultProfile.Timeout);
        Assert.Equal(SandboxMode.ReadOnly, config.DefaultProfile.Sandbox);
        Assert.Equal(CodexApprovalPolicy.OnRequest, config.DefaultProfile.ApprovalPolicy);
        Assert.Same(CodexApprovalHandler.DeclineAll, config.DefaultProfile.Approvals);
    }

    [Fact]
    public async Task Code_wins_over_configuration()
    {
        await using var provider = ConfiguredServices.Build(new()
        {
            ["CodexRuntime:CodexHome"] = "/from-config",
            ["CodexRuntime:DefaultProfile:Model"] = "config-model",
        }, services => services.AddCodexRuntime(o => o.Runtime.Process.CodexHome = "/from-code"));

        var config = provider.GetRequiredService<CodexClient>().Config;

        Assert.Equal("/from-code", config.Runtime.Process.CodexHome);
        Assert.Equal("config-model", config.DefaultProfile.Model);
    }

    [Fact]
    public async Task Named_clients_bind_their_own_section_under_Clients()
    {
        await using var provider = ConfiguredServices.Build(new()
        {
            ["CodexRuntime:CodexHome"] = "/default",
            ["CodexRuntime:Clients:reviewer:CodexHome"] = "/reviewer",
            ["CodexRuntime:Clients:reviewer:DefaultProfile:Effort"] = "low",
            ["CodexRuntime:Clients:writer:CodexHome"] = "/writer",
        }, services =>
        {
            services.AddCodexRuntime();
            services.AddCodexRuntime("reviewer");
            services.AddCodexRuntime("writer");
        });

        Assert.Equal("/default", provider.GetRequiredService<CodexClient>().Config.Runtime.Process.CodexHome);
        var reviewer = provider.GetRequiredKeyedService<CodexClient>("reviewer").Config;
        Assert.Equal("/reviewer", reviewer.Runtime.Process.CodexHome);
        Assert.Equal("low", reviewer.DefaultProfile.Effort);
        var writer = provider.GetRequiredKeyedService<CodexClient>("writer").Config;
        Assert.Equal("/writer", writer.Runtime.Process.CodexHome);
        Assert.Equal("medium", writer.DefaultProfile.Effort);
    }

    [Fact]
    public async Task Restart_policy_and_client_info_bind_into_copies_never_into_the_shared_defaults()
    {
        await using var provider = ConfiguredServices.Build(new()
        {
            ["CodexRuntime:RestartPolicy:MaxRestarts"] = "5",
            ["CodexRuntime:ClientInfo:Name"] = "my_app",
            ["CodexRuntime:Runtime:Connection:MinimumVersion"] = "0.150.0",
        }, services => services.AddCodexRuntime());

        var config = provider.GetRequiredService<CodexClient>().Config;

        Assert.Equal(5, config.Runtime.RestartPolicy.MaxRestarts);
        Assert.Equal(TimeSpan.FromSeconds(1), config.Runtime.RestartPolicy.InitialBackoff);
        Assert.Equal("my_app", config.Runtime.Connection.ClientInfo.Name);
        Assert.Equal(new CodexVersion(0, 150, 0), config.Runtime.Connection.MinimumVersion);
        Assert.Equal(0, CodexRestartPolicy.Never.MaxRestarts);
        Assert.Equal("codex_runtime_dotnet", CodexClientInfo.Default.Name);
        Assert.Equal(0, new ClientConfig().Runtime.RestartPolicy.MaxRestarts);
    }

    [Fact]
    public async Task A_restart_policy_section_can_turn_restarts_off()
    {
        await using var provider = ConfiguredServices.Build(new() { ["CodexRuntime:RestartPolicy:MaxRestarts"] = "0" }, services => services.AddCodexRuntime());

        Assert.False(provider.GetRequiredService<CodexClient>().Config.Runtime.RestartPolicy.RestartsOnCrash);
    }

    [Fact]
    public async Task A_version_that_is_not_a_version_fails_naming_the_key()
    {
        await using var provider = ConfiguredServices.Build(new() { ["CodexRuntime:Runtime:Connection:MinimumVersion"] = "latest" }, services => services.AddCodexRuntime());

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<CodexClient>());

        Assert.Contains("CodexRuntime:Runtime:Connection:MinimumVersion", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.104.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_registered_configuration_the_defaults_stay()
    {
        var services = new ServiceCollection();
        services.AddCodexRuntime();
        await using var provider = services.BuildServiceProvider();

        var config = provider.GetRequiredService<CodexClient>().Config;

        Assert.Null(config.Runtime.Process.ExecutablePath);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Runtime.Connection.RequestTimeout);
    }
}
