using System.Net;
using CodexRuntime.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WebChat;

namespace CodexRuntime.Web.Tests.Support;

/// <summary>
/// The WebChat sample hosted in-process by <see cref="WebApplicationFactory{TEntryPoint}"/> (its own Program, its
/// offline FakeModelServer script), on the real codex binary of one version. Only two things differ from a user's
/// run: codex comes from configuration (<c>CodexRuntime:CliPath</c>), and the tenant is the <c>X-Tenant</c> header.
/// The sample's local-only checks (Host, Origin) run as they are; the real-HTTP ones are in WebChatLocalOnlyTests.
/// </summary>
internal sealed class WebChatFactory(string binary) : WebApplicationFactory<Program>
{
    public static async Task<WebChatFactory> CreateAsync(string version) =>
        new(await Task.Run(() => CodexRuntime.Build.CodexInstaller.Install(RepositoryLayout.Root, version)));

    public ChatBackend Backend => Services.GetRequiredService<ChatBackend>();

    public HttpClient For(string tenant)
    {
        var http = CreateClient();
        http.Timeout = WebHost.Deadline;
        http.DefaultRequestHeaders.Add("X-Tenant", tenant);
        return http;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CodexRuntime:CliPath", binary);
        builder.UseSetting("WebChat:StreamPaceMs", "0");
        builder.ConfigureTestServices(HeaderTenantAuthentication.AddTo);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, LoopbackConnection>());
    }

    /// <summary>
    /// The test server leaves the connection empty (no addresses, local port 0), where Kestrel reports a client on
    /// this machine as a loopback connection on the port its <c>Host</c> names: fill that in, so the sample's
    /// LocalOnly checks see what a real run sees instead of refusing every request as coming from nowhere.
    /// </summary>
    private sealed class LoopbackConnection : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                context.Connection.LocalIpAddress ??= IPAddress.Loopback;
                if (context.Connection.LocalPort == 0)
                {
                    context.Connection.LocalPort = context.Request.Host.Port ?? 80;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
