using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace WebChat.Replicas;

/// <summary>
/// The replicas mode's front door: a YARP reverse proxy on the public port that sends each request to the next replica
/// in turn (round robin, no session affinity: any replica serves any session), the way a load balancer in front of a
/// deployment does. It passes the browser's Host on (so each replica's <see cref="LocalOnly"/> checks see the page's
/// own Host and Origin), streams Server-Sent Events through unbuffered (YARP flushes a response without a length as it
/// arrives), and keeps the sample's local-only checks at its own door too.
/// </summary>
public sealed class ReplicaProxy : IAsyncDisposable
{
    private const string RouteId = "webchat";
    private const string ClusterId = "replicas";

    private readonly WebApplication _app;
    private readonly InMemoryConfigProvider _config;
    private readonly Dictionary<int, Uri> _replicas = [];

    private ReplicaProxy(WebApplication app)
    {
        _app = app;
        _config = app.Services.GetRequiredService<InMemoryConfigProvider>();
    }

    /// <summary>The URL it listens on (the port the OS gave, when asked for port 0).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The replicas it sends to now, by index.</summary>
    public IReadOnlyCollection<int> Replicas
    {
        get
        {
            lock (_replicas)
            {
                return [.. _replicas.Keys.Order()];
            }
        }
    }

    /// <summary>Starts listening with no replica yet (503 until <see cref="Add"/>), so its port is known before the replicas start.</summary>
    /// <param name="configuration">The command line's configuration (<c>--urls</c>; 127.0.0.1:5180 when not given).</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The running proxy.</returns>
    public static async Task<ReplicaProxy> StartAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(configuration["urls"] is { Length: > 0 } urls ? urls : "http://127.0.0.1:5180");
        // Each replica logs the requests it serves; the proxy's own line per request would only double them.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddReverseProxy().LoadFromMemory([Route()], [Cluster(new Dictionary<string, DestinationConfig>())]);
        var app = builder.Build();
        app.UseLocalOnly(); // a foreign Host or Origin stops here, before any replica sees it
        app.MapReverseProxy();

        var proxy = new ReplicaProxy(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Url = new Uri(address);
        return proxy;
    }

    /// <summary>Sends to this replica from now on.</summary>
    /// <param name="index">The replica's index.</param>
    /// <param name="url">The replica's own URL.</param>
    public void Add(int index, Uri url)
    {
        lock (_replicas)
        {
            _replicas[index] = url;
            Publish();
        }
    }

    /// <summary>Stops sending to this replica (it exited): the next requests go to the others at once.</summary>
    /// <param name="index">The replica's index.</param>
    public void Remove(int index)
    {
        lock (_replicas)
        {
            _replicas.Remove(index);
            Publish();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    /// <summary>Waits until the proxy is stopped (Ctrl+C, SIGTERM) or the token is cancelled.</summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>A task that completes at shutdown.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    private void Publish() =>
        _config.Update([Route()], [Cluster(_replicas.ToDictionary(r => $"replica-{r.Key}", r => new DestinationConfig { Address = r.Value.ToString() }))]);

    private static RouteConfig Route() => new()
    {
        RouteId = RouteId,
        ClusterId = ClusterId,
        Match = new RouteMatch { Path = "{**all}" },
        // The browser's Host goes on to the replica: the Host and the Origin it checks are then the page's own.
        Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }],
    };

    private static ClusterConfig Cluster(IReadOnlyDictionary<string, DestinationConfig> destinations) => new()
    {
        ClusterId = ClusterId,
        LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
        Destinations = destinations,
    };
}
