using System.Text.Json;
using System.Text.RegularExpressions;
using CodexRuntime.Artifact.Patching;
using CodexRuntime.Protocol;

namespace CodexRuntime.Artifact;

/// <summary>
/// Reads a task's answer: the structured output (the turn's final assistant message, which codex makes follow the
/// output schema), else the whole assistant text parsed as JSON, else the first fenced block that is JSON. A fenced
/// block that is not JSON is skipped, not taken (the seed took the first block whatever it held).
/// </summary>
internal static partial class ArtifactOutputReader
{
    /// <summary>The JSON of an answer, or null when none of the three places holds JSON.</summary>
    public static JsonElement? FindJson(PromptRunResult result)
    {
        var final = result.Items.OfType<AgentMessageThreadItem>().LastOrDefault()?.Text;
        return TryParse(final) ?? TryParse(result.Text) ?? FirstFencedJson(result.Text);
    }

    /// <summary>The first fenced block (<c>```</c> with any info string) whose content parses as JSON.</summary>
    public static JsonElement? FirstFencedJson(string text)
    {
        foreach (Match block in FencedBlock().Matches(text))
        {
            if (TryParse(block.Groups["body"].Value) is { } json)
            {
                return json;
            }
        }

        return null;
    }

    /// <summary>The DocGenerate answer's <c>format</c>, <c>title</c>, <c>text</c>.</summary>
    public static (string Format, string Title, string Text) ReadGenerate(string artifactId, JsonElement output)
    {
        RequireObject(artifactId, output, ArtifactTaskKind.DocGenerate);
        return (RequiredString(artifactId, output, "format"), RequiredString(artifactId, output, "title"), RequiredString(artifactId, output, "text"));
    }

    /// <summary>The DocEdit answer as a patch: <c>format</c>, <c>expectedRevision</c>, <c>edits</c> required, <c>notes</c> optional.</summary>
    public static DocPatch ReadEdit(string artifactId, JsonElement output)
    {
        RequireObject(artifactId, output, ArtifactTaskKind.DocEdit);
        var format = RequiredString(artifactId, output, "format");
        var expected = RequiredString(artifactId, output, "expectedRevision");
        if (!output.TryGetProperty("edits", out var edits) || edits.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(artifactId, "The DocEdit answer has no 'edits' array.");
        }

        var list = new List<DocPatchEdit>();
        var index = 0;
        foreach (var edit in edits.EnumerateArray())
        {
            if (edit.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(artifactId, $"Edit {index} of the DocEdit answer is not an object.");
            }

            list.Add(new DocPatchEdit(RequiredInt(artifactId, edit, "startLine", index), RequiredInt(artifactId, edit, "endLine", index),
                edit.TryGetProperty("replacement", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : throw Invalid(artifactId, $"Edit {index} of the DocEdit answer has no 'replacement' string.")));
            index++;
        }

        var notes = output.TryGetProperty("notes", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new DocPatch(format, expected, list, notes);
    }

    private static JsonElement? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void RequireObject(string artifactId, JsonElement output, ArtifactTaskKind kind)
    {
        if (output.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(artifactId, $"The {kind} answer is JSON {output.ValueKind}, not an object.");
        }
    }

    private static string RequiredString(string artifactId, JsonElement output, string key) =>
        output.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Invalid(artifactId, $"The answer has no '{key}' string (required keys: DocGenerate format, title, text; DocEdit format, expectedRevision, edits).");

    private static int RequiredInt(string artifactId, JsonElement edit, string key, int index) =>
        edit.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw Invalid(artifactId, $"Edit {index} of the DocEdit answer has no integer '{key}'.");

    private static ArtifactException Invalid(string artifactId, string message) =>
        new(ArtifactErrorKind.InvalidOutput, artifactId, message + " Nothing was written.");

    [GeneratedRegex(@"^[ \t]*```[^\n`]*\r?\n(?<body>.*?)^[ \t]*```[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
