// A chat page over CodexRuntime.Web: AddCodexRuntime().AddWeb() and MapCodexRuntime("/codex"), with a static page
// (wwwroot: HTML + JS + EventSource, no front-end build) that streams the answer, shows command and file-change items,
// asks Approve / Decline, and shows when it reconnects.
// By default codex talks to CodexRuntime.Testing's FakeModelServer (offline): the first prompt makes codex run one
// command that needs your approval, then answer; --real uses your own codex login and model, in the current folder.
//
// It is for this machine only (LocalOnly.cs): it listens on loopback only, answers only to Host 127.0.0.1 / localhost /
// [::1] at its port (DNS rebinding), and refuses state changes from another site's Origin; a real app puts its own
// authentication in front instead.
//
// /agui serves the same sessions over AG-UI (docs/agui.md); wwwroot/agui.html drives it with the official client.
//
// --replicas 3 runs it as a cluster on this machine instead (Replicas/ReplicaCluster.cs, docs/scale-out-sample.md):
// three replicas, each this sample co-hosting an Orleans silo, behind a round-robin proxy, to watch a session outlive
// a replica that is killed.
//
// Usage: dotnet run --project samples/WebChat [-- --real] [--urls http://127.0.0.1:5180], then open the printed URL;
//        dotnet run --project samples/WebChat -- --replicas 3 [--urls http://127.0.0.1:5180]
using CodexRuntime;
using CodexRuntime.Web;
using Microsoft.Extensions.Options;
using WebChat;
using WebChat.Replicas;

if (ReplicaCluster.IsRequested(args))
{
    return await ReplicaCluster.RunAsync(args);
}

var real = args.Contains("--real");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--real").ToArray());
if (real)
{
    builder.Configuration["WebChat:Real"] = "true";
}

if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5180");
}

// Before anything listens or codex starts: a non-loopback address would let other machines drive codex as you.
if (LocalOnly.RefusalToListen(builder.Configuration) is { } refusal)
{
    Console.Error.WriteLine(refusal);
    return 1;
}

// The backend (fake model, its CODEX_HOME, the workspace) is a singleton, so the codex options and the web options
// read it from DI, and a test host (WebApplicationFactory) can reach it.
builder.Services.AddSingleton<ChatBackend>();
builder.Services.AddOptions<ClientConfig>().Configure<ChatBackend>((config, backend) => backend.ApplyTo(config));
builder.Services.AddOptions<CodexWebOptions>().Configure<ChatBackend>((options, backend) => options.Adapter.Cwd = backend.Workspace);

// This sample's only user is you, on this machine: a request from loopback that names this machine and comes from this
// page (not another site's) is signed in as "local". A real app uses its own authentication; the tenant is the user's
// name identifier claim (ClaimsTenantResolver).
builder.Services.AddAuthentication(LoopbackUser.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, LoopbackUser>(LoopbackUser.SchemeName, null);
builder.Services.AddAuthorization();

var codex = builder.Services
    .AddCodexRuntime(config =>
    {
        config.Runtime.Process.ExecutablePath ??= CodexBinaryLocator.Locate().ExecutablePath;   // CODEX_CLI_PATH, else PATH / the npm install
        config.DefaultProfile.Timeout = TimeSpan.FromMinutes(5);
    })
    .WithHostedService()
    .AddWeb(options =>
    {
        // Sandbox, approval policy and cwd are the server's: a browser cannot change them.
        options.Adapter.Profile = new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest, Timeout = TimeSpan.FromMinutes(5) };
        options.Adapter.HeartbeatInterval = TimeSpan.FromSeconds(10);
    });
// Only as a replica of --replicas (its parent passes WebChat:Replica:*): a silo, and sessions reached through grains.
builder.AddReplicaSilo(codex);

var app = builder.Build();
// First, so that a foreign Host or Origin reaches neither the page nor the endpoints (and so never codex).
app.UseLocalOnly();
// The page comes from the build output (not the content root), so the app serves it wherever it is started from.
var page = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
app.UseStaticFiles(new StaticFileOptions { FileProvider = page });
app.UseAuthentication();
app.UseAuthorization();
app.MapCodexRuntime("/codex");
app.MapCodexAGUI("/agui"); // agui.html: the same chat through AG-UI, with the official @ag-ui/client

var backend = app.Services.GetRequiredService<ChatBackend>();
app.Lifetime.ApplicationStarted.Register(() =>
{
    Console.WriteLine($"model:     {backend.Description}");
    Console.WriteLine($"workspace: {backend.Workspace}");
    foreach (var url in app.Urls)
    {
        Console.WriteLine($"open:      {url}/");
    }
});

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is OptionsValidationException or CodexException)
{
    Console.Error.WriteLine($"WebChat failed: {ex.GetType().Name}: {ex.Message}");
    return 1;
}

/// <summary>The entry point, public so that tests can host the app with WebApplicationFactory&lt;Program&gt;.</summary>
public partial class Program;
