using CodexRuntime.AI.Tests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI.Tests;

/// <summary>
/// Must show 2: a <c>ChatClientAgent</c> over <see cref="CodexChatClient"/> and a <see cref="CodexAgent"/> keep memory
/// in the codex thread: three runs on one session, the third model request carries the first two exchanges; the session
/// serialized, a new codex process (a new <see cref="CodexClient"/>), the session deserialized, a fourth run remembers.
/// </summary>
public sealed class AgentMemoryTests
{
    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var version in new[] { CodexVersions.Newest, CodexVersions.Floor })
            {
                data.Add(version, "ChatClientAgent");
                data.Add(version, "CodexAgent");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Three_runs_then_a_fourth_in_another_process_remember_the_conversation(string version, string kind)
    {
        var sandbox = await CodexSandbox.CreateAsync(version, "never",
            FakeModelResponse.Text("first answer"), FakeModelResponse.Text("second answer"), FakeModelResponse.Text("third answer"), FakeModelResponse.Text("fourth answer"));
        await using var _ = sandbox;
        using var deadline = new CancellationTokenSource(AiCodex.Deadline);
        System.Text.Json.JsonElement saved;
        string threadId;
        await using (var codex = AiCodex.Create(sandbox))
        {
            var agent = Agent(codex, kind);
            var session = await agent.CreateSessionAsync(deadline.Token);
            Assert.Equal("first answer", (await agent.RunAsync("first question", session, cancellationToken: deadline.Token)).Text);
            Assert.Equal("second answer", (await agent.RunAsync("second question", session, cancellationToken: deadline.Token)).Text);
            Assert.Equal("third answer", (await agent.RunAsync("third question", session, cancellationToken: deadline.Token)).Text);

            var third = codex.Model.ModelRequests[2].Body;
            Assert.All(["first question", "first answer", "second question", "second answer", "third question"], said => Assert.Contains(said, third, StringComparison.Ordinal));
            // One thread for the three runs: codex held the history, nothing was sent twice.
            threadId = Assert.Single(codex.Client.Sessions).ThreadId;
            Assert.Equal(1, Occurrences(third, "first question"));
            saved = await agent.SerializeSessionAsync(session, cancellationToken: deadline.Token);
        }

        await using (var codex = AiCodex.Create(sandbox))
        {
            var agent = Agent(codex, kind);
            var session = await agent.DeserializeSessionAsync(saved, cancellationToken: deadline.Token);
            var fourth = await agent.RunAsync("fourth question", session, cancellationToken: deadline.Token);

            Assert.Equal("fourth answer", fourth.Text);
            Assert.Equal(threadId, Assert.Single(codex.Client.Sessions).ThreadId);
            var request = codex.Model.ModelRequests[3].Body;
            Assert.All(["first question", "first answer", "third answer", "fourth question"], said => Assert.Contains(said, request, StringComparison.Ordinal));
        }
    }

    private static AIAgent Agent(AiCodex codex, string kind) => kind == "CodexAgent"
        ? new CodexAgent(codex.Chat, name: "codex")
        : new ChatClientAgent(codex.Chat, instructions: null, name: "codex");

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
