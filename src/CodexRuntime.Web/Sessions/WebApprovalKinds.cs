using CodexRuntime.Protocol;

namespace CodexRuntime.Web.Sessions;

/// <summary>The server requests a web client answers, by the kind name it sees.</summary>
internal static class WebApprovalKinds
{
    public static readonly WebApprovalKind Command = new("command", CodexServerRequests.ItemCommandExecutionRequestApproval);

    public static readonly WebApprovalKind FileChange = new("fileChange", CodexServerRequests.ItemFileChangeRequestApproval);

    /// <summary>codex calls one of the thread's dynamic tools (over AG-UI: one of the client's tools).</summary>
    public static readonly WebApprovalKind DynamicToolCall = new("dynamicToolCall", CodexServerRequests.ItemToolCall);

    /// <summary>The kinds besides command and file change: a web session's turn takes those its options name (<c>RunProfile.TurnServerRequests</c>).</summary>
    public static readonly WebApprovalKind[] Other =
    [
        new("permissions", CodexServerRequests.ItemPermissionsRequestApproval),
        new("userInput", CodexServerRequests.ItemToolRequestUserInput),
        new("mcpElicitation", CodexServerRequests.McpServerElicitationRequest),
        DynamicToolCall,
    ];

    /// <summary>Every kind name a web client can be asked to answer.</summary>
    public static readonly string[] Names = [Command.Name, FileChange.Name, .. Other.Select(k => k.Name)];

    public static WebApprovalKind ByName(string name) =>
        name == Command.Name ? Command : name == FileChange.Name ? FileChange : Other.First(k => k.Name == name);
}

/// <summary>A kind of web approval: its name and the server request behind it.</summary>
/// <param name="Name">What clients see as <c>kind</c>.</param>
/// <param name="Type">The server request.</param>
internal sealed record WebApprovalKind(string Name, CodexServerRequestType Type);

/// <summary>A client's answer to an approval: exactly one of a decision, a result, or an error message.</summary>
/// <param name="Decision"><c>accept</c>, <c>acceptForSession</c>, <c>decline</c> or <c>cancel</c> (command and file change only).</param>
/// <param name="Result">A result of the kind's response type.</param>
/// <param name="ErrorMessage">An error to answer with instead.</param>
internal sealed record WebApprovalAnswer(string? Decision, System.Text.Json.JsonElement? Result, string? ErrorMessage);
