using System.Text.Json;

namespace CodexRuntime.Artifact;

/// <summary>
/// The output schemas the package sends when a task brings none (strict-mode shaped: every property required,
/// no others allowed). Replace them per task (<see cref="ArtifactTaskSpec.OutputSchema"/>) or per manager
/// (<see cref="ArtifactOptions.DocGenerateSchema"/>, <see cref="ArtifactOptions.DocEditSchema"/>).
/// </summary>
public static class ArtifactSchemas
{
    /// <summary>DocGenerate: <c>{ format, title, text }</c>, all strings.</summary>
    public static JsonElement DocGenerate { get; } = Parse("""
        {
          "type": "object",
          "properties": {
            "format": { "type": "string", "description": "The document format, e.g. markdown." },
            "title": { "type": "string", "description": "The document title." },
            "text": { "type": "string", "description": "The whole document." }
          },
          "required": ["format", "title", "text"],
          "additionalProperties": false
        }
        """);

    /// <summary>DocEdit: <c>{ format, expectedRevision, edits: [{ startLine, endLine, replacement }], notes }</c> (notes may be null).</summary>
    public static JsonElement DocEdit { get; } = Parse("""
        {
          "type": "object",
          "properties": {
            "format": { "type": "string", "description": "The document format." },
            "expectedRevision": { "type": "string", "description": "The revision given in CONTEXT." },
            "edits": {
              "type": "array",
              "description": "Sorted, non-overlapping line edits; line numbers are 1-based and refer to CURRENT_TEXT.",
              "items": {
                "type": "object",
                "properties": {
                  "startLine": { "type": "integer", "description": "First replaced line (1-based)." },
                  "endLine": { "type": "integer", "description": "Line after the last replaced one (exclusive); equal to startLine to insert." },
                  "replacement": { "type": "string", "description": "The new text, with its own line endings." }
                },
                "required": ["startLine", "endLine", "replacement"],
                "additionalProperties": false
              }
            },
            "notes": { "type": ["string", "null"], "description": "What changed, briefly." }
          },
          "required": ["format", "expectedRevision", "edits", "notes"],
          "additionalProperties": false
        }
        """);

    /// <summary>The default schema of a kind; null for Passthrough.</summary>
    /// <param name="kind">The task kind.</param>
    /// <returns>The schema, or null.</returns>
    public static JsonElement? For(ArtifactTaskKind kind) => kind switch
    {
        ArtifactTaskKind.DocGenerate => DocGenerate,
        ArtifactTaskKind.DocEdit => DocEdit,
        _ => null,
    };

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
