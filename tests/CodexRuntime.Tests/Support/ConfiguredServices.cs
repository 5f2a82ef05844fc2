using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodexRuntime.Tests.Support;

/// <summary>A service provider whose <see cref="IConfiguration"/> holds the given settings, as an app's would.</summary>
internal static class ConfiguredServices
{
    /// <summary>Builds the provider; <paramref name="register"/> adds the services (default: <c>AddCodexRuntime()</c>).</summary>
    public static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        (register ?? (s => s.AddCodexRuntime()))(services);
        return services.BuildServiceProvider();
    }
}
