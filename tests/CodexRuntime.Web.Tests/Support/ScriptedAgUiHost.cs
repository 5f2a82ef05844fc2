using System.Text.Json.Nodes;
using CodexRuntime.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Web.Tests.Support;

/// <summary>
/// A web app serving <c>MapCodexAGUI("/agui")</c> over the in-memory <see cref="ScriptedAppServer"/>: the test plays
/// codex (answers <c>turn/start</c>, sends notifications and server requests), so it decides when a turn goes on. The
/// client sends the tenant header <c>tenant-a</c>.
/// </summary>
internal sealed class ScriptedAgUiHost : IAsyncDisposable
{
    private readonly DirectoryInfo _cwd;
    private readonly WebApplication _app;

    private ScriptedAgUiHost(ScriptedAppServer server, DirectoryInfo cwd, WebApplication app, HttpClient http)
    {
        Server = server;
        _cwd = cwd;
        _app = app;
        Http = http;
    }

    /// <summary>The scripted codex.</summary>
    public ScriptedAppServer Server { get; }

    /// <summary>A client of the app, as tenant <c>tenant-a</c>.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts the app; <paramref name="configure"/> adjusts the web options after the working folder is set.</summary>
    public static async Task<ScriptedAgUiHost> StartAsync(Action<CodexWebOptions>? configure = null)
    {
        var server = new ScriptedAppServer();
        var cwd = Directory.CreateTempSubdirectory("codex-agui-scripted-");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        HeaderTenantAuthentication.AddTo(builder.Services);
        builder.Services.AddCodexRuntime(config => server.Attach(config.Runtime)).AddWeb(options =>
        {
            options.Adapter.Cwd = cwd.FullName;
            configure?.Invoke(options);
        });
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapCodexAGUI("/agui");
        await app.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = WebHost.Deadline };
        http.DefaultRequestHeaders.Add("X-Tenant", "tenant-a");
        return new ScriptedAgUiHost(server, cwd, app, http);
    }

    /// <summary>Opens a run of <c>thread-1</c> whose turn (<c>turn-1</c>) the scripted codex started; returns codex's thread id and the open stream.</summary>
    public async Task<(string ThreadId, HttpResponseMessage Run)> StartRunAsync(string runId)
    {
        var opening = Http.OpenRunAsync(AgUiHttp.Input("thread-1", runId, [AgUiHttp.User("m1", "go")]));
        var start = await Server.ReadRequestAsync("turn/start");
        await start.RespondAsync(new JsonObject { ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = "inProgress", ["error"] = null } });
        return ((string)start.Params!["threadId"]!, await opening);
    }

    /// <summary>codex ends <c>turn-1</c> with <paramref name="status"/>.</summary>
    public Task CompleteTurnAsync(string threadId, string status = "completed") =>
        Server.NotifyAsync("turn/completed", new JsonObject { ["threadId"] = threadId, ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = status, ["error"] = null } });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Server.DisposeAsync();
        _cwd.Delete(recursive: true);
    }
}
