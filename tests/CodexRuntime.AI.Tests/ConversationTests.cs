using CodexRuntime.AI.Tests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI.Tests;

/// <summary>Which messages of a call reach codex: on an existing thread only the new ones; codex holds the rest.</summary>
public sealed class ConversationTests
{
    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task A_caller_that_passes_the_whole_history_sends_only_the_new_message(string version)
    {
        await using var codex = await AiCodex.CreateAsync(version, "never", null, null,
            FakeModelResponse.Text("alpha answer"), FakeModelResponse.Text("beta answer"));
        using var deadline = new CancellationTokenSource(AiCodex.Deadline);
        List<ChatMessage> history = [new(ChatRole.System, "Answer briefly."), new(ChatRole.User, "alpha question")];

        var first = await codex.Chat.GetResponseAsync(history, cancellationToken: deadline.Token);
        history.AddMessages(first);
        history.Add(new ChatMessage(ChatRole.User, "beta question"));
        var second = await codex.Chat.GetResponseAsync(history, new ChatOptions { ConversationId = first.ConversationId }, deadline.Token);

        Assert.Equal("beta answer", second.Text);
        Assert.Equal(first.ConversationId, second.ConversationId);
        // The system message became the thread's developer instructions; codex's own history holds the first exchange once.
        Assert.Contains("Answer briefly.", codex.Model.ModelRequests[0].Body, StringComparison.Ordinal);
        var body = codex.Model.ModelRequests[1].Body;
        Assert.Equal(1, body.Split("alpha question").Length - 1);
        Assert.Equal("beta question", codex.Model.ModelRequests[1].LastUserText);
    }
}
