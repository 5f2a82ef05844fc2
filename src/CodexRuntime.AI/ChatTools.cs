using CodexRuntime.Protocol;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI;

/// <summary>
/// <see cref="ChatOptions.Tools"/> as codex's dynamic tools of a new thread. codex calls them with
/// <c>item/tool/call</c>; the chat client hands each call to the caller as a <see cref="FunctionCallContent"/>, so the
/// caller's function-invoking layer invokes it (once) and its result answers codex.
/// </summary>
internal static class ChatTools
{
    /// <summary>The dynamic tools <paramref name="tools"/> describe; none when there are none.</summary>
    /// <exception cref="NotSupportedException">A tool is not a function, or the connection did not opt in to codex's experimental API.</exception>
    /// <exception cref="ArgumentException">Two functions share a name.</exception>
    public static IReadOnlyList<DynamicToolSpec> Offer(IList<AITool>? tools, CodexClient client)
    {
        if (tools is not { Count: > 0 })
        {
            return [];
        }

        var specs = new List<DynamicToolSpec>(tools.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            if (tool is not AIFunctionDeclaration function)
            {
                throw new NotSupportedException($"ChatOptions.Tools has a {tool.GetType().Name} ('{tool.Name}'); codex is offered functions only (AIFunction or AIFunctionDeclaration). codex's own tools (shell, file edits, web search, MCP servers) are configured on codex itself.");
            }

            if (!names.Add(function.Name))
            {
                throw new ArgumentException($"ChatOptions.Tools has two functions named '{function.Name}'; codex tells tools apart by name.", nameof(tools));
            }

            specs.Add(new FunctionDynamicToolSpec { Name = function.Name, Description = function.Description, InputSchema = function.JsonSchema });
        }

        if (!client.Config.Runtime.Connection.ExperimentalApi)
        {
            var version = client.Runtime.State.Connection.Server?.Version?.ToString() ?? "this codex";
            throw new NotSupportedException($"ChatOptions.Tools become codex dynamic tools, which are experimental in codex ({version}): set ClientConfig.Runtime.Connection.ExperimentalApi = true to offer them, or remove the functions from ChatOptions.Tools.");
        }

        return specs;
    }
}
