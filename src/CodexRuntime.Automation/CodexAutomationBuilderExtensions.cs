using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CodexRuntime.Automation;

/// <summary><c>services.AddCodexRuntime(...).AddAutomation("name", spec, o => ...)</c>: automations as hosted services.</summary>
public static class CodexAutomationBuilderExtensions
{
    /// <summary>
    /// Runs <paramref name="spec"/> for the host's lifetime on a session of the builder's client (a named client when
    /// the builder has a name): a hosted service prepares the session at host start (resuming the thread the state
    /// store kept, if any), runs the automation, and stops it at host stop (interrupting a turn in flight). Also makes
    /// the client start with the host (<c>WithHostedService</c>), registered before the automation so the client stops
    /// after it. Every automation's status is readable from <see cref="CodexAutomations"/>.
    /// </summary>
    /// <param name="builder">The builder <c>AddCodexRuntime</c> returned.</param>
    /// <param name="name">The automation's name (unique in the container; its key in the state store).</param>
    /// <param name="spec">The prompt and schedule.</param>
    /// <param name="configure">Sets the session (required) and the state store; named options, validated at host start.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentException">The name is empty, taken, longer than <see cref="AutomationOptions.MaxNameLength"/> or not valid Unicode, or the spec's shape is wrong (see <see cref="AutomationSpec"/>).</exception>
    public static ICodexRuntimeBuilder AddAutomation(this ICodexRuntimeBuilder builder, string name, AutomationSpec spec, Action<AutomationHostOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        AutomationName.Validate(name, "The automation name", nameof(name));
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(configure);
        spec.EnsureShape();
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(AutomationDefinition) && d.ImplementationInstance is AutomationDefinition { } existing && existing.Name == name))
        {
            throw new ArgumentException($"An automation named '{name}' is already registered; automation names are unique in a container (they key the state store and the status).", nameof(name));
        }

        builder.WithHostedService();
        var definition = new AutomationDefinition(name, builder.Name, spec);
        services.AddSingleton(definition);
        services.TryAddSingleton(provider => new CodexAutomations(provider.GetServices<AutomationDefinition>(), n => provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<AutomationHostOptions>>().Get(n).StateStore));
        services.AddOptions<AutomationHostOptions>(name)
            .Configure(configure)
            .Validate(o => o.Session is not null, $"Automation '{name}': AutomationHostOptions.Session is not set; set it to the SessionConfig (cwd, profile) its session opens with.")
            .Validate(o => o.RunHistoryLimit >= 0, $"Automation '{name}': AutomationHostOptions.RunHistoryLimit is negative; use 0 to keep no run history, or a positive count (1,000 by default).")
            .Validate(o => o.RunHistoryMaxAge is null || o.RunHistoryMaxAge > TimeSpan.Zero, $"Automation '{name}': AutomationHostOptions.RunHistoryMaxAge must be greater than zero, or null to keep runs whatever their age.")
            .Validate(o => o.StandbyPollInterval > TimeSpan.Zero, $"Automation '{name}': AutomationHostOptions.StandbyPollInterval must be greater than zero (5 seconds by default).")
            .ValidateOnStart();
        // One hosted service per automation (a factory registration, so several are kept side by side).
        services.AddSingleton<IHostedService>(provider => new AutomationHostedService(definition, provider));
        return builder;
    }
}
