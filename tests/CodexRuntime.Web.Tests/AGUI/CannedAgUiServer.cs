using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Web.Tests.AGUI;

/// <summary>
/// A stand-in AG-UI server for the harness's own tests: Kestrel on loopback (port 0) answering <c>POST /{name}</c>
/// with the canned SSE sequence of that name (one <c>data:</c> line per event, each given as raw JSON so a test can
/// send what a real server must never send). It records each request's body and headers. Never a stand-in for the
/// real <c>MapCodexAGUI</c> endpoint.
/// </summary>
internal sealed class CannedAgUiServer : IAsyncDisposable
{
    /// <summary>The name of the sequence that never ends: the server holds the stream open until the client leaves.</summary>
    public const string Endless = "endless";

    private readonly WebApplication _app;

    private CannedAgUiServer(WebApplication app, Uri baseAddress, ConcurrentQueue<CannedRequest> requests)
    {
        _app = app;
        BaseAddress = baseAddress;
        Requests = requests;
    }

    public Uri BaseAddress { get; }

    /// <summary>Each request as it arrived.</summary>
    public ConcurrentQueue<CannedRequest> Requests { get; }

    public static async Task<CannedAgUiServer> StartAsync(IReadOnlyDictionary<string, string[]> sequences)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var requests = new ConcurrentQueue<CannedRequest>();
        app.MapPost("/{name}", async (string name, HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            requests.Enqueue(new CannedRequest(name, headers, await reader.ReadToEndAsync(context.RequestAborted)));
            if (name == Endless)
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("data: {\"type\":\"RUN_STARTED\",\"threadId\":\"t\",\"runId\":\"r\"}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                // Held open until the client gives up: the harness's own deadline is what ends this run.
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            if (!sequences.TryGetValue(name, out var events))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "text/event-stream";
            foreach (var e in events)
            {
                await context.Response.WriteAsync($"data: {e}\n\n", context.RequestAborted);
            }
        });
        await app.StartAsync();
        return new CannedAgUiServer(app, new Uri(app.Urls.First()), requests);
    }

    /// <summary>The URL of one canned sequence.</summary>
    public Uri For(string name) => new(BaseAddress, "/" + name);

    /// <summary>One request as it arrived: the path's sequence name, its headers (copied) and its body.</summary>
    public sealed record CannedRequest(string Name, IReadOnlyDictionary<string, string> Headers, string Body);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
