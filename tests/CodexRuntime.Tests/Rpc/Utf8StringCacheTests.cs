using System.Text;
using System.Text.Json;
using CodexRuntime.Rpc;

namespace CodexRuntime.Tests.Rpc;

public sealed class Utf8StringCacheTests
{
    [Fact]
    public void Repeated_values_come_back_as_the_same_instance_and_every_value_stays_correct()
    {
        var cache = new Utf8StringCache();
        var first = Read(cache, "\"thread-1\"");
        Assert.Same(first, Read(cache, "\"thread-1\""));

        // More distinct values than the cache holds: values are evicted, never confused.
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal($"id-{i}", Read(cache, $"\"id-{i}\""));
        }

        Assert.Equal("thread-1", Read(cache, "\"thread-1\""));
        // Escaped strings are decoded, not cached by their raw bytes.
        Assert.Equal("a\"b", Read(cache, "\"a\\\"b\""));
        Assert.Equal("é", Read(cache, "\"\\u00e9\""));
        Assert.Equal("é", Read(cache, "\"é\""));
    }

    private static string Read(Utf8StringCache cache, string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return cache.Get(ref reader);
    }
}
