// One web replica of an Orleans cluster on Redis, for the tests that kill (SIGKILL) or stop (SIGTERM) a replica.
// Usage: CodexRuntime.Orleans.Replica <redis endpoint> <cluster id> <silo port> <gateway port> <http port or 0>
//        <CODEX_HOME> <codex executable> <workspace> <drain timeout seconds>
// Serves MapCodexRuntime("/codex") on http://127.0.0.1:<http port> (X-Tenant header tenants) with the options of the
// Web tests' host, its sessions as grains of a silo on Redis clustering and Redis grain storage. Prints
// "replica-ready <url> pid <pid>" once the app and its silo are started, then "replica-sees-dead <silo port>" each time
// its silo learns that another silo was declared dead; logs warnings and errors to stderr.
using System.Globalization;
using CodexRuntime;
using CodexRuntime.Orleans;
using CodexRuntime.Orleans.Tests.Support;
using CodexRuntime.Web;
using CodexRuntime.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

if (args.Length != 9)
{
    Console.Error.WriteLine("Usage: CodexRuntime.Orleans.Replica <redis endpoint> <cluster id> <silo port> <gateway port> <http port or 0> <CODEX_HOME> <codex executable> <workspace> <drain timeout seconds>");
    return 2;
}

var (redis, clusterId, codexHome, codex, workspace) = (args[0], args[1], args[5], args[6], args[7]);
var (siloPort, gatewayPort, httpPort) = (Port(args[2]), Port(args[3]), Port(args[4]));
var drainTimeout = TimeSpan.FromSeconds(double.Parse(args[8], CultureInfo.InvariantCulture));
// What a test waits for at most (CodexSandbox.Deadline in the tests).
var deadline = TimeSpan.FromSeconds(60);

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}"));
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
// Timestamps: a failed kill test's message holds the replicas' logs, to be read against the test's own timeline.
builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");
builder.Logging.SetMinimumLevel(LogLevel.Warning);
HeaderTenantAuthentication.AddTo(builder.Services);
builder.Services
    .AddCodexRuntime(config =>
    {
        // What TemporaryCodexHome.ApplyTo sets: the test created the home, against its own FakeModelServer.
        config.Runtime.Process.ExecutablePath = codex;
        config.Runtime.Process.WorkingDirectory = workspace;
        config.Runtime.Process.CodexHome = codexHome;
        config.Runtime.Process.Environment["HOME"] = Path.Combine(codexHome, "user-home");
    })
    .AddWeb(options =>
    {
        options.Adapter.Cwd = workspace;
        options.Adapter.Profile = new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest, Timeout = deadline };
        options.Adapter.AllowedModels.Add("mock-model");
    })
    .UseOrleans(o => o.DrainTimeout = drainTimeout);
builder.UseOrleans(silo => RedisClusterSilo.Configure(silo, redis, clusterId, siloPort, gatewayPort));

await using var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapCodexRuntime("/codex");
await app.StartAsync();
Console.WriteLine($"replica-ready {app.Urls.First()} pid {Environment.ProcessId}");
var watching = ReportDeathsAsync(app.Services.GetRequiredService<IClusterMembershipService>(), app.Lifetime.ApplicationStopping);
await app.WaitForShutdownAsync();
await watching;
return 0;

// A test that kills a replica waits for this: until the cluster declared that silo dead, calls that need it fail.
static async Task ReportDeathsAsync(IClusterMembershipService membership, CancellationToken stopping)
{
    var reported = new HashSet<SiloAddress>();
    try
    {
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stopping))
        {
            foreach (var (silo, _) in snapshot.Members.Where(m => m.Value.Status == SiloStatus.Dead && reported.Add(m.Key)))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replica-sees-dead {silo.Endpoint.Port}"));
            }
        }
    }
    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
    {
        // The replica stops.
    }
}

static int Port(string value) => int.Parse(value, CultureInfo.InvariantCulture);
