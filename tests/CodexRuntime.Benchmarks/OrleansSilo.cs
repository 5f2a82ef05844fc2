using System.Net;
using CodexRuntime.Orleans;
using CodexRuntime.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// One replica of the Orleans benchmark without HTTP: a Generic Host co-hosting an Orleans silo (localhost clustering)
/// and <c>AddCodexRuntime().AddWeb().UseOrleans()</c> over its own in-memory codex (<see cref="OrleansScriptedCodex"/>).
/// The load is driven through the host's <see cref="ICodexWebSessions"/> (the grains), as its endpoints would.
/// </summary>
internal sealed class OrleansSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly OrleansScriptedCodex _codex;
    private readonly DirectoryInfo _cwd;

    private OrleansSilo(IHost host, OrleansScriptedCodex codex, DirectoryInfo cwd)
    {
        _host = host;
        _codex = codex;
        _cwd = cwd;
    }

    /// <summary>The sessions of the cluster, reached from this silo (<c>GrainWebSessions</c>).</summary>
    public ICodexWebSessions Sessions => _host.Services.GetRequiredService<ICodexWebSessions>();

    /// <summary>Turns this silo's codex started, and those it wrote to their end.</summary>
    public (int Started, int Written) CodexTurns => _codex.Turns;

    /// <summary>This silo's own adapter: the sessions that run here, without a grain call.</summary>
    public WebAdapter Adapter => _host.Services.GetRequiredService<WebAdapter>();

    /// <summary>Starts the silo; it joins the cluster whose primary silo listens on <paramref name="primary"/>.</summary>
    /// <param name="siloPort">This silo's silo-to-silo port.</param>
    /// <param name="gatewayPort">This silo's client gateway port.</param>
    /// <param name="primary">The primary silo's endpoint (this silo's own for the first).</param>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="sessions">How many sessions the silo may hold (the adapter's limits are raised to it).</param>
    public static async Task<OrleansSilo> StartAsync(int siloPort, int gatewayPort, IPEndPoint primary, string clusterId, int sessions)
    {
        var codex = new OrleansScriptedCodex();
        var cwd = Directory.CreateTempSubdirectory("codex-orleans-bench-");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, primary, "codex-bench", clusterId);
            // Where the session grain keeps its record (the package's storage name); memory is the development store.
            silo.AddMemoryGrainStorage(CodexOrleansOptions.DefaultStorageName);
        });
        builder.Services
            .AddCodexRuntime(config =>
            {
                codex.Server.Attach(config); // State.MaxThreads stays 256: 300 sessions on one silo pass it on purpose
            })
            .AddWeb(options =>
            {
                options.Adapter.Cwd = cwd.FullName;
                // Every session of the run may live on one silo, all running a turn at once.
                options.Adapter.MaxSessionsPerTenant = sessions;
                options.Adapter.MaxConcurrentTurns = sessions;
                options.Adapter.HeartbeatInterval = TimeSpan.FromMinutes(5);
                // The SSE rounds' long turn stays in the replay ring: a slow reader resumes instead of being reset.
                options.Adapter.ReplayBufferBytes = 256L * 1024 * 1024;
                options.Adapter.Profile.Timeout = TimeSpan.FromMinutes(10);
            })
            .UseOrleans();
        var silo = new OrleansSilo(builder.Build(), codex, cwd);
        try
        {
            await silo._host.StartAsync();
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    /// <summary>Leaves the cluster (a graceful stop), then closes the silo's codex.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
            await _codex.DisposeAsync();
            _cwd.Delete(recursive: true);
        }
    }
}
