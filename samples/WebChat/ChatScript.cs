using System.Text.Json.Nodes;
using CodexRuntime.Testing;

namespace WebChat;

/// <summary>
/// What the fake model answers: to the first prompt, a command that needs your approval and then a streamed answer;
/// to every later prompt, a streamed echo (decided from each request's conversation).
/// </summary>
public static class ChatScript
{
    /// <summary>The answer to the first prompt, after the command (approved or not).</summary>
    public static readonly string FirstAnswer =
        "I asked to run one command, touch " + ChatBackend.ApprovedFile + ", and you answered. " +
        "This answer streams in small pieces so you can watch it arrive, reload the page in the middle, " +
        "and see it go on from where it was without a gap or a repeat. Every piece has its own event id, " +
        "and the page tells the server the last one it has. That is all there is to it.";

    /// <summary>Why the scripted command asks to run (its <c>justification</c>): the approval's reason on the page.</summary>
    public const string Justification = "The chat's first prompt creates a file to show approvals.";

    /// <summary>
    /// The answer to one model request, from the conversation it carries (not from the order of requests), so a
    /// session resumed on another replica, whose model never saw its first prompt, goes on with the echo: no assistant
    /// message yet, the command; right after the command's output, the first answer; otherwise, the echo.
    /// </summary>
    /// <param name="request">The model request.</param>
    /// <param name="pace">The pause between streamed pieces.</param>
    /// <returns>The answer.</returns>
    public static FakeModelResponse Answer(FakeModelRequest request, TimeSpan pace)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = (request.Json?["input"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (input.Count > 0 && (string?)input[^1]["type"] == "function_call_output")
        {
            return FakeModelResponse.StreamedText(Pieces(FirstAnswer), pace);
        }

        return input.Any(item => (string?)item["role"] == "assistant" || (string?)item["type"] == "function_call_output")
            ? FakeModelResponse.StreamedText(Pieces($"You said: {LastUserText(request)}"), pace)
            : FakeModelResponse.ExecCommand($"touch {ChatBackend.ApprovedFile} && echo created {ChatBackend.ApprovedFile}", requestEscalation: true, justification: Justification);
    }

    /// <summary>What the user asked last: the text of the last user message codex sent to the model.</summary>
    /// <param name="request">The model request.</param>
    /// <returns>The text, or an empty string.</returns>
    public static string LastUserText(FakeModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = (request.Json?["input"] as JsonArray)?.OfType<JsonObject>().LastOrDefault(item => (string?)item["role"] == "user");
        var text = (user?["content"] as JsonArray)?.OfType<JsonObject>().LastOrDefault(part => (string?)part["type"] == "input_text");
        return (string?)text?["text"] ?? string.Empty;
    }

    /// <summary>The text in pieces of one word each (with its space), as a model streams it.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The pieces; concatenated they are <paramref name="text"/>.</returns>
    public static IEnumerable<string> Pieces(string text) =>
        text.Split(' ').Select((word, i) => i == 0 ? word : " " + word);
}
