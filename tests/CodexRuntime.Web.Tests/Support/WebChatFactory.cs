using CodexRuntime.Tests.Shared;
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
    }
}
