using System.Text.Json.Nodes;

namespace CodexRuntime.Tests.Support;

/// <summary>
/// JSON equality for round trips: member order does not matter, and an explicit null equals a missing member (the
/// typed model omits null fields on output, as codex itself does for optional fields).
/// </summary>
internal static class JsonEquivalence
{
    public static void AssertEquivalent(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        var difference = Difference(expected, actual, path);
        Assert.True(difference is null, difference);
    }

    private static string? Difference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case null:
                return actual is null ? null : $"{path}: expected null, got {actual.ToJsonString()}";
            case JsonObject e when actual is JsonObject a:
                foreach (var name in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (Difference(e[name], a[name], $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonArray e when actual is JsonArray a:
                if (e.Count != a.Count)
                {
                    return $"{path}: expected {e.Count} items, got {a.Count}";
                }

                for (var i = 0; i < e.Count; i++)
                {
                    if (Difference(e[i], a[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path}: expected {expected.ToJsonString()}, got {actual?.ToJsonString() ?? "null"}";
        }
    }
}
