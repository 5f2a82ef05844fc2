using CodexRuntime.Orleans.Tests.Support;
using CodexRuntime.Testing;

namespace CodexRuntime.Orleans.Tests;

/// <summary>The cluster tests' redis-server: started on a port of its own, answering, and gone once disposed.</summary>
public sealed class RedisServerTests
{
    [Fact]
    public async Task A_started_server_answers_PING_and_is_gone_with_its_folder_once_disposed()
    {
        var redis = await RedisServer.StartAsync();
        var pid = redis.ProcessId;
        Assert.Equal("+PONG", await redis.PingAsync());
        Assert.InRange(redis.Port, 20000, 32000);

        await redis.DisposeAsync();

        Assert.False(ProcessProbe.IsRunning(pid));
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => redis.PingAsync());
    }

    [Fact]
    public async Task A_missing_redis_server_is_refused_with_what_to_install()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "redis-server");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisServer.StartAsync(missing));

        Assert.Contains(missing, refused.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y redis-server", refused.Message, StringComparison.Ordinal);
    }
}
