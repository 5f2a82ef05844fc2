using CodexRuntime.Rpc;
using CodexRuntime.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodexRuntime.Tests.Hosting;

/// <summary>
/// The restart policy and client info records, which the configuration-binding source generator cannot fill (init-only
/// properties) and ClientConfigBinding binds by hand: the long keys under <c>Runtime</c>, every field, and a value
/// that does not parse.
/// </summary>
public sealed class ConfigurationRecordBindingTests
{
    [Fact]
    public async Task The_long_keys_under_Runtime_bind_every_field_of_both_records()
    {
        await using var provider = ConfiguredServices.Build(new()
        {
            ["CodexRuntime:Runtime:RestartPolicy:MaxRestarts"] = "4",
            ["CodexRuntime:Runtime:RestartPolicy:InitialBackoff"] = "00:00:02",
            ["CodexRuntime:Runtime:RestartPolicy:BackoffMultiplier"] = "1.5",
            ["CodexRuntime:Runtime:RestartPolicy:MaxBackoff"] = "00:00:20",
            ["CodexRuntime:Runtime:RestartPolicy:ResetAfter"] = "00:02:00",
            ["CodexRuntime:Runtime:Connection:ClientInfo:Name"] = "my_app",
            ["CodexRuntime:Runtime:Connection:ClientInfo:Version"] = "2.0.0",
            ["CodexRuntime:Runtime:Connection:ClientInfo:Title"] = "My App",
        });

        var runtime = provider.GetRequiredService<CodexClient>().Config.Runtime;

        var policy = runtime.RestartPolicy;
        Assert.Equal(4, policy.MaxRestarts);
        Assert.Equal(TimeSpan.FromSeconds(2), policy.InitialBackoff);
        Assert.Equal(1.5, policy.BackoffMultiplier);
        Assert.Equal(TimeSpan.FromSeconds(20), policy.MaxBackoff);
        Assert.Equal(TimeSpan.FromMinutes(2), policy.ResetAfter);
        Assert.Equal(new CodexClientInfo("my_app", "2.0.0", "My App"), runtime.Connection.ClientInfo);
    }

    [Fact]
    public async Task A_restart_policy_value_that_does_not_parse_fails_naming_the_key_and_the_value()
    {
        await using var provider = ConfiguredServices.Build(new() { ["CodexRuntime:RestartPolicy:MaxRestarts"] = "many" });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<CodexClient>());

        Assert.Contains("CodexRuntime:RestartPolicy:MaxRestarts", error.Message, StringComparison.Ordinal);
        Assert.Contains("'many'", error.Message, StringComparison.Ordinal);
    }
}
