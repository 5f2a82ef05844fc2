using System.Globalization;

namespace WebChat.Replicas;

/// <summary>
/// What makes a WebChat process one replica of the cluster the replicas mode starts: the configuration section
/// <c>WebChat:Replica</c>, which the parent passes on the child's command line (<see cref="ToArguments"/>) and the child
/// reads back (<see cref="From"/>). Without it the sample is the single process it always was.
/// </summary>
public sealed class ReplicaSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "WebChat:Replica";

    /// <summary>Which replica, from 1.</summary>
    public int Index { get; set; }

    /// <summary>The silo's port for the other silos.</summary>
    public int SiloPort { get; set; }

    /// <summary>The silo's gateway port (for Orleans clients; none here, but the localhost clustering wants one).</summary>
    public int GatewayPort { get; set; }

    /// <summary>The cluster's id, new for every run, so a run never meets an earlier run's silos in Redis.</summary>
    public string ClusterId { get; set; } = string.Empty;

    /// <summary>The Redis server (<c>127.0.0.1:port</c>) for membership and session records; null without redis-server.</summary>
    public string? Redis { get; set; }

    /// <summary>Without Redis: the primary silo's port (replica 1's), which every silo of the localhost clustering asks.</summary>
    public int PrimarySiloPort { get; set; }

    /// <summary>The proxy's port: a request through it names the proxy in its Host and Origin (<see cref="LocalOnly"/>).</summary>
    public int ProxyPort { get; set; }

    /// <summary>The settings in <paramref name="configuration"/>, or null when this process is not a replica.</summary>
    /// <param name="configuration">The app's configuration.</param>
    /// <returns>The settings, or null.</returns>
    public static ReplicaSettings? From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        return section.Exists() ? section.Get<ReplicaSettings>() : null;
    }

    /// <summary>The command-line arguments that give a child these settings.</summary>
    /// <returns>The arguments, as <c>--WebChat:Replica:Name value</c> pairs.</returns>
    public IEnumerable<string> ToArguments()
    {
        var values = new (string Name, string? Value)[]
        {
            (nameof(Index), Format(Index)),
            (nameof(SiloPort), Format(SiloPort)),
            (nameof(GatewayPort), Format(GatewayPort)),
            (nameof(ClusterId), ClusterId),
            (nameof(Redis), Redis),
            (nameof(PrimarySiloPort), Format(PrimarySiloPort)),
            (nameof(ProxyPort), Format(ProxyPort)),
        };
        foreach (var (name, value) in values.Where(v => v.Value is not null))
        {
            yield return $"--{Section}:{name}";
            yield return value!;
        }
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
