using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.Serialization;

namespace CodexRuntime.Web;

/// <summary>
/// A run's <c>RunAgentInput.tools</c> (AG-UI frontend tools: name, description, parameters) as codex dynamic tools,
/// checked member by member before anything reaches codex: the name as codex and the model take a function's name,
/// no two tools of one name, a bounded count, parameters that are a JSON Schema object; and a client tool's result
/// as codex's answer to its call.
/// </summary>
internal static class AgUiTools
{
    /// <summary>The most tools one thread is offered: far above what a front end declares, far below what would crowd the model's context.</summary>
    public const int MaxTools = 32;

    /// <summary>The longest tool name codex passes to the model (OpenAI's function-name limit).</summary>
    public const int MaxNameLength = 64;

    /// <summary>The schema of a tool declared without parameters: it takes none.</summary>
    private static readonly JsonElement NoParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    /// <summary>Reads and checks the tools; nothing has reached codex when this throws.</summary>
    public static IReadOnlyList<FunctionDynamicToolSpec> Read(JsonElement tools)
    {
        if (tools.GetArrayLength() > MaxTools)
        {
            throw Invalid("tools", $"{tools.GetArrayLength()} tools were sent; this server offers codex at most {MaxTools} client tools per thread.");
        }

        var specs = new List<FunctionDynamicToolSpec>();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            specs.Add(Spec(tool, $"tools[{index++}]", specs));
        }

        return specs;
    }

    /// <summary>
    /// codex's answer to a call of a client tool (a <see cref="DynamicToolCallResponse"/>, as JSON): the tool message's
    /// text as one text item; a message with an <c>error</c> is a failed call.
    /// </summary>
    public static JsonElement Response(AgUiToolResult result) => JsonSerializer.SerializeToElement(
        new DynamicToolCallResponse { ContentItems = [new InputTextDynamicToolCallOutputContentItem { Text = result.Output }], Success = result.Error is null },
        CodexJsonContext.WireOptions.GetTypeInfo(typeof(DynamicToolCallResponse)));

    private static FunctionDynamicToolSpec Spec(JsonElement tool, string path, List<FunctionDynamicToolSpec> before)
    {
        if (tool.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "Each tool is { \"name\": \"...\", \"description\": \"...\", \"parameters\"?: { JSON Schema } }.");
        }

        string? name = null, description = null;
        JsonElement? parameters = null;
        foreach (var member in tool.EnumerateObject())
        {
            switch (member.Name)
            {
                case "name" when member.Value.ValueKind == JsonValueKind.String:
                    name = member.Value.GetString();
                    break;
                case "description" when member.Value.ValueKind == JsonValueKind.String:
                    description = member.Value.GetString();
                    break;
                case "parameters" when member.Value.ValueKind == JsonValueKind.Object:
                    parameters = member.Value;
                    break;
                case "parameters":
                    throw Invalid($"{path}.parameters", "A tool's parameters are a JSON Schema object ({ \"type\": \"object\", \"properties\": {...} }), or left out for a tool that takes none.");
                case "metadata" when member.Value.ValueKind == JsonValueKind.Object:
                    break; // the client's own bookkeeping
                default:
                    throw Invalid($"{path}.{member.Name}", $"'{member.Name}' is not a member of an AG-UI tool (or has the wrong type); send name, description, and optionally parameters and metadata.");
            }
        }

        if (name is null || !IsFunctionName(name))
        {
            throw Invalid($"{path}.name", $"A tool's name is what the model calls: 1 to {MaxNameLength} letters, digits, '_' or '-' (e.g. lookup_ticket).");
        }

        if (before.Any(t => t.Name == name))
        {
            throw Invalid($"{path}.name", $"Two tools are named '{name}'; codex tells tools apart by name.");
        }

        if (description is null)
        {
            throw Invalid($"{path}.description", "A tool needs a description (a string): the model reads it to decide when to call the tool.");
        }

        if (parameters is { } schema && schema.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && type.GetString() == "object"))
        {
            throw Invalid($"{path}.parameters.type", "A tool's parameters describe its arguments object: the schema's type is \"object\".");
        }

        return new FunctionDynamicToolSpec { Name = name, Description = description, InputSchema = parameters?.Clone() ?? NoParameters };
    }

    private static bool IsFunctionName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static CodexWebException Invalid(string member, string message) => new(CodexWebErrorKind.InvalidRequest, message, member);
}
