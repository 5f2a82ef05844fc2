using System.Text.Json.Nodes;

namespace CodexRuntime.ProtocolGenerator;

/// <summary>
/// Compares two schema folders (checked-in vs what an installed codex generates) and lists the differences a person
/// needs to read: methods and notifications added or removed, definitions added or removed, fields added, removed or
/// changed, and fields that became required or optional.
/// </summary>
public static class SchemaDrift
{
    /// <summary>The differences, one per line; empty when the schemas are the same.</summary>
    /// <param name="expectedFolder">The checked-in schema folder.</param>
    /// <param name="actualFolder">The folder the installed codex wrote.</param>
    /// <param name="version">The version both are for (for the loaded sets).</param>
    /// <returns>Readable lines such as <c>+ client request thread/goal/set</c> or <c>~ field ThreadStartParams.cwd: ...</c>.</returns>
    public static IReadOnlyList<string> Compare(string expectedFolder, string actualFolder, string version)
    {
        var expected = SchemaSet.Load(expectedFolder, version);
        var actual = SchemaSet.Load(actualFolder, version);
        var lines = new List<string>();
        foreach (var (label, definitions) in new[] { ("", (expected.Stable, actual.Stable)), ("experimental ", (expected.Experimental, actual.Experimental)) })
        {
            Compare(label, definitions.Item1, definitions.Item2, lines);
        }

        return lines.Distinct().ToList();
    }

    private static void Compare(string label, IReadOnlyDictionary<string, JsonObject> expected, IReadOnlyDictionary<string, JsonObject> actual, List<string> lines)
    {
        foreach (var (union, noun) in new[] { ("ClientRequest", "client request"), ("ServerNotification", "notification"), ("ServerRequest", "server request"), ("ClientNotification", "client notification") })
        {
            var before = SchemaSet.Methods(expected, union).ToDictionary(m => m.Method, m => m.Variant.ToJsonString(), StringComparer.Ordinal);
            var after = SchemaSet.Methods(actual, union).ToDictionary(m => m.Method, m => m.Variant.ToJsonString(), StringComparer.Ordinal);
            lines.AddRange(after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).Select(m => $"+ {label}{noun} {m}"));
            lines.AddRange(before.Keys.Except(after.Keys).Order(StringComparer.Ordinal).Select(m => $"- {label}{noun} {m}"));
            lines.AddRange(before.Keys.Intersect(after.Keys).Where(m => before[m] != after[m]).Order(StringComparer.Ordinal).Select(m => $"~ {label}{noun} {m}: params or result type changed"));
        }

        lines.AddRange(actual.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).Select(d => $"+ {label}type {d}"));
        lines.AddRange(expected.Keys.Except(actual.Keys).Order(StringComparer.Ordinal).Select(d => $"- {label}type {d}"));
        foreach (var name in expected.Keys.Intersect(actual.Keys).Order(StringComparer.Ordinal))
        {
            var before = expected[name];
            var after = actual[name];
            if (JsonNode.DeepEquals(before, after))
            {
                continue;
            }

            var beforeProps = before["properties"] as JsonObject ?? [];
            var afterProps = after["properties"] as JsonObject ?? [];
            var beforeRequired = Required(before);
            var afterRequired = Required(after);
            var fieldChanges = 0;
            foreach (var (field, schema) in afterProps)
            {
                if (!beforeProps.ContainsKey(field))
                {
                    lines.Add($"+ {label}field {name}.{field}");
                    fieldChanges++;
                }
                else if (!JsonNode.DeepEquals(beforeProps[field], schema))
                {
                    lines.Add($"~ {label}field {name}.{field}: {Shorten(beforeProps[field])} -> {Shorten(schema)}");
                    fieldChanges++;
                }
            }

            foreach (var (field, _) in beforeProps)
            {
                if (!afterProps.ContainsKey(field))
                {
                    lines.Add($"- {label}field {name}.{field}");
                    fieldChanges++;
                }
            }

            foreach (var field in afterRequired.Except(beforeRequired).Where(beforeProps.ContainsKey))
            {
                lines.Add($"~ {label}field {name}.{field}: now required");
                fieldChanges++;
            }

            foreach (var field in beforeRequired.Except(afterRequired).Where(afterProps.ContainsKey))
            {
                lines.Add($"~ {label}field {name}.{field}: now optional");
                fieldChanges++;
            }

            if (fieldChanges == 0)
            {
                lines.Add($"~ {label}type {name}: {Shorten(before)} -> {Shorten(after)}");
            }
        }
    }

    private static HashSet<string> Required(JsonObject schema) =>
        (schema["required"] as JsonArray ?? []).Select(r => (string)r!).ToHashSet(StringComparer.Ordinal);

    private static string Shorten(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length <= 160 ? text : text[..157] + "...";
    }
}
