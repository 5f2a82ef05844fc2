using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using CodexRuntime.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Web.Tests.Support;

/// <summary>
/// An ASP.NET Core app on real loopback HTTP (Kestrel, port 0) with <c>AddCodexRuntime().AddWeb()</c> and
/// <c>MapCodexRuntime("/codex")</c>, driving the real codex binary of one version against a FakeModelServer script.
/// A request's tenant is its <c>X-Tenant</c> header (a test authentication scheme); without it the request is anonymous.
/// </summary>
internal sealed class WebHost : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = CodexSandbox.Deadline;

    private readonly WebApplication _app;
    private readonly CodexSandbox _sandbox;

    private WebHost(WebApplication app, CodexSandbox sandbox, Uri baseAddress)
    {
        _app = app;
        _sandbox = sandbox;
        BaseAddress = baseAddress;
    }

    public FakeModelServer Model => _sandbox.Model;

    public TemporaryCodexHome Home => _sandbox.Home;

    public DirectoryInfo Workspace => _sandbox.Workspace;

    public Uri BaseAddress { get; }

    public WebAdapter Adapter => _app.Services.GetRequiredService<WebAdapter>();

    public IServiceProvider Services => _app.Services;

    public CodexClient Client => _app.Services.GetRequiredService<CodexClient>();

    /// <summary>
    /// Maps <c>MapCodexAGUI</c> at this prefix on the hosts started in the async flow that set it: for tests that start
    /// hosts through a helper without a <c>map</c> parameter (the Orleans tests' replicas).
    /// </summary>
    public static AsyncLocal<string?> AgUiPrefix { get; } = new();

    /// <summary>Starts the host.</summary>
    /// <param name="setup">Adds the app's own services (logging, OpenAPI, health checks) before the app is built.</param>
    /// <param name="pipeline">Adds the app's own middleware, before authentication.</param>
    /// <param name="map">Adds the app's own endpoints and policies (the Codex route group is given).</param>
    /// <param name="environment">The host environment's name; the builder's default when null.</param>
    /// <param name="experimentalApi">Opts the adapter's codex connection in to codex's experimental API (dynamic tools: AG-UI client tools).</param>
    public static async Task<WebHost> StartAsync(
        string version,
        FakeModelResponse[] script,
        Action<CodexWebOptions>? configure = null,
        Action<WebApplicationBuilder, ICodexRuntimeBuilder>? setup = null,
        Action<WebApplication>? pipeline = null,
        Action<WebApplication, Microsoft.AspNetCore.Routing.RouteGroupBuilder>? map = null,
        string? environment = null,
        bool experimentalApi = false)
    {
        var sandbox = await CodexSandbox.CreateAsync(version, "on-request", script);
        var workspace = sandbox.Workspace;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        // Long enough that a stream holding shutdown would show: streams must end when the host stops, not at this timeout.
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromMinutes(5));
        HeaderTenantAuthentication.AddTo(builder.Services);
        var codex = builder.Services
            .AddCodexRuntime(config =>
            {
                config.Runtime.Process = sandbox.ProcessOptions();
                config.Runtime.Connection.ExperimentalApi = experimentalApi;
            })
            .AddWeb(options =>
            {
                options.Adapter.Cwd = workspace.FullName;
                options.Adapter.Profile = new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest, Timeout = Deadline };
                options.Adapter.AllowedModels.Add("mock-model");
                configure?.Invoke(options);
            });
        setup?.Invoke(builder, codex);
        var app = builder.Build();
        pipeline?.Invoke(app);
        app.UseAuthentication();
        app.UseAuthorization();
        var group = app.MapCodexRuntime("/codex");
        map?.Invoke(app, group);
        if (AgUiPrefix.Value is { } agui)
        {
            app.MapCodexAGUI(agui);
        }

        await app.StartAsync();
        return new WebHost(app, sandbox, new Uri(app.Urls.First()));
    }

    /// <summary>A client for <paramref name="tenant"/> (anonymous when null).</summary>
    public HttpClient For(string? tenant)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = Deadline };
        if (tenant is not null)
        {
            http.DefaultRequestHeaders.Add("X-Tenant", tenant);
        }

        return http;
    }

    /// <summary>Stops the app the way a host stops (ApplicationStopping, then Kestrel waits for open requests).</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _sandbox.DisposeAsync();
    }
}

/// <summary>HTTP helpers for the Codex endpoints.</summary>
internal static class CodexHttp
{
    public static async Task<(string SessionId, string ThreadId)> CreateSessionAsync(this HttpClient http, string artifactId = "doc-1")
    {
        using var response = await http.PostAsync("/codex/sessions", Json(new JsonObject { ["artifactId"] = artifactId }));
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return ((string)body["sessionId"]!, (string)body["threadId"]!);
    }

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    /// <summary>Reads a session's SSE stream until <paramref name="until"/> holds for an event (or the stream ends).</summary>
    public static async Task<List<SseItem<string>>> ReadEventsAsync(this HttpClient http, string path, Func<SseItem<string>, bool> until, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var deadline = new CancellationTokenSource(WebHost.Deadline);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        if (!response.IsSuccessStatusCode)
        {
            // Only a refused stream has a body to read: a live one never ends.
            Assert.Fail($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(deadline.Token))
        {
            if (item.EventType == "heartbeat")
            {
                continue;
            }

            events.Add(item);
            if (until(item))
            {
                break;
            }
        }

        return events;
    }

    public static JsonNode Data(this SseItem<string> item) => JsonNode.Parse(item.Data)!;

    public static async Task<JsonNode> ProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string path, JsonNode body) => http.PostAsync(path, Json(body));
}
