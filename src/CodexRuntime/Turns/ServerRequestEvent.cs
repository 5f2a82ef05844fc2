using CodexRuntime.ServerRequests;

namespace CodexRuntime;

/// <summary>
/// codex asks the turn something that is not a command or file-change approval: a permissions request, user input,
/// an MCP elicitation or a dynamic tool call. A streaming turn gets these only for the methods its profile names in
/// <see cref="RunProfile.TurnServerRequests"/>, at their place on the wire. Answer with
/// <see cref="CodexServerRequest.RespondAsync(System.Text.Json.JsonElement)"/> (or its typed form, or
/// <see cref="CodexServerRequest.RespondErrorAsync"/>) before reading the next event: a request still unanswered then
/// (or when the stream is left) goes back to the runtime's answerers, i.e. the typed handler of its kind in
/// <c>ClientConfig.Runtime.ServerRequests</c>, else its <c>UnhandledPolicy</c> (decline by default). The runtime's
/// deadline applies as to every server request.
/// </summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="Request">The request: its method, params, deadline, and how to answer it (once).</param>
public sealed record ServerRequestEvent(string ThreadId, string TurnId, CodexServerRequest Request) : CodexTurnEvent(ThreadId, TurnId);
