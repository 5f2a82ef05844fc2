using CodexRuntime.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace CodexRuntime.Orleans;

/// <summary>
/// <c>services.AddCodexRuntime(...).AddWeb(...).UseOrleans()</c>: the web endpoints of every replica serve every
/// session of the cluster.
/// </summary>
public static class CodexOrleansBuilderExtensions
{
    /// <summary>
    /// Makes the <c>MapCodexRuntime</c> endpoints reach each session through its Orleans grain (keyed by the session
    /// id), so any replica serves any session: a new session runs on the replica that created it (its silo, its codex,
    /// its <c>WebAdapter</c>), and its REST calls, SSE streams (in order, resumable with <c>Last-Event-ID</c> on any
    /// replica) and approvals work from every replica. The app co-hosts a silo (<c>builder.UseOrleans(...)</c> with the
    /// cluster's membership) and calls <c>AddWeb</c> as well (each silo's sessions are its local adapter's). The AG-UI
    /// endpoint (<c>MapCodexAGUI</c>) reaches each thread through its grain (keyed by tenant and thread id) the same way:
    /// a thread lives on the silo its key ranks first, in that silo's memory (it is lost with that silo).
    /// </summary>
    /// <param name="builder">The builder <c>AddCodexRuntime</c> returned.</param>
    /// <param name="configure">Where session records are stored and how long a stopping silo drains; the defaults when null.</param>
    /// <returns>The same builder.</returns>
    public static ICodexRuntimeBuilder UseOrleans(this ICodexRuntimeBuilder builder, Action<CodexOrleansOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<CodexOrleansOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // A stopping silo drains each session's turn inside the grain's deactivation: Orleans' deactivation timeout and
        // the host's shutdown timeout must leave room for it (and for the record's last write).
        builder.Services.AddOptions<GrainCollectionOptions>().PostConfigure<IOptions<CodexOrleansOptions>>((collection, codex) =>
            collection.DeactivationTimeout = Max(collection.DeactivationTimeout, codex.Value.DrainTimeout + StopMargin));
        builder.Services.AddOptions<HostOptions>().PostConfigure<IOptions<CodexOrleansOptions>>((host, codex) =>
            host.ShutdownTimeout = Max(host.ShutdownTimeout, codex.Value.DrainTimeout + StopMargin + StopMargin));
        builder.Services.TryAddSingleton<OrleansSessionMetrics>();
        builder.Services.RemoveAll<ICodexWebSessions>();
        builder.Services.AddSingleton<ICodexWebSessions, GrainWebSessions>();
        builder.Services.RemoveAll<ICodexAgUiRuns>();
        builder.Services.AddSingleton<ICodexAgUiRuns, GrainAgUiRuns>();
        builder.Services.AddPlacementDirector<SessionSiloPlacement, SessionSiloPlacementDirector>();
        return builder;
    }

    /// <summary>Beyond the drain time: an interrupted turn's end, the record's last write, the silo leaving the cluster.</summary>
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(30);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
