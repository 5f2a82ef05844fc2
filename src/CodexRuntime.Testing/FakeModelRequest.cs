using System.Text.Json.Nodes;

namespace CodexRuntime.Testing;

/// <summary>One HTTP request that <see cref="FakeModelServer"/> received, recorded as it came.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path, e.g. <c>/v1/responses</c>.</param>
/// <param name="Body">The request body as text.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="Answer">Which scripted answer it got, or null when it got none (unscripted or not a model call).</param>
public sealed record FakeModelRequest(string Method, string Path, string Body, DateTimeOffset ReceivedAt, string? Answer)
{
    /// <summary>
    /// The outputs of the tool calls codex sends back to the model (<c>function_call_output</c> items of
    /// <c>input</c>), in order; empty when there are none.
    /// </summary>
    public IReadOnlyList<string> ToolOutputs =>
        Json?["input"] is JsonArray input
            ? input.OfType<JsonObject>()
                .Where(item => (string?)item["type"] == "function_call_output")
                .Select(item => item["output"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : item["output"]?.ToJsonString() ?? string.Empty)
                .ToArray()
            : [];

    /// <summary>
    /// What the commands codex ran printed: <see cref="ToolOutputs"/> without the header codex puts before it
    /// (<c>Chunk ID</c>, <c>Wall time</c>, exit code, token count, then an <c>Output:</c> line).
    /// </summary>
    public IReadOnlyList<string> CommandOutputs =>
        ToolOutputs.Select(output => output.Split("Output:\n", 2) is [_, var printed] ? printed : output).ToArray();

    /// <summary>
    /// The text of the last user message in <c>input</c> (what the turn's prompt said; codex adds its own context
    /// messages before it), or null when there is none: what <see cref="FakeModelServer.When"/> routes by most often.
    /// </summary>
    public string? LastUserText =>
        Json?["input"] is JsonArray input
            ? input.OfType<JsonObject>()
                .Where(item => (string?)item["role"] == "user" && item["content"] is JsonArray)
                .Select(item => string.Concat(((JsonArray)item["content"]!).OfType<JsonObject>()
                    .Where(part => (string?)part["type"] == "input_text")
                    .Select(part => (string?)part["text"])))
                .LastOrDefault()
            : null;

    /// <summary>The body parsed as JSON, or null when it is not JSON.</summary>
    public JsonNode? Json
    {
        get
        {
            try
            {
                return JsonNode.Parse(Body);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }
}
