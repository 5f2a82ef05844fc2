using System.Text.Json;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using CodexRuntime.Web;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Orleans.Tests;

/// <summary>The Web package's hook the session grain opens its session with: <c>WebAdapter.CreateSessionWithIdAsync</c>.</summary>
public sealed class SessionIdHookTests
{
    [Fact]
    public async Task A_session_opens_under_the_id_given_and_a_bad_or_taken_id_is_refused()
    {
        await using var host = await WebHost.StartAsync(CodexVersions.Newest, []);
        using var body = JsonDocument.Parse("""{"artifactId":"doc-1"}""");
        var id = "grain-key_" + Guid.NewGuid().ToString("N");

        var info = await host.Adapter.CreateSessionWithIdAsync("tenant-a", id, body.RootElement);
        Assert.Equal(id, info.SessionId);
        Assert.Equal(id, host.Adapter.GetSessionState("tenant-a", id).SessionId);

        var taken = await Assert.ThrowsAsync<CodexWebException>(() => host.Adapter.CreateSessionWithIdAsync("tenant-b", id, body.RootElement));
        Assert.Equal(("sessionId", 409), (taken.Member, taken.StatusCode));
        Assert.Equal(1, host.Adapter.OpenSessions);
        await Assert.ThrowsAsync<ArgumentException>(() => host.Adapter.CreateSessionWithIdAsync("tenant-a", "a/b", body.RootElement));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Adapter.CreateSessionWithIdAsync("tenant-a", new string('a', 129), body.RootElement));
    }
}
