using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>What a FakeModelServer turn looks like to a client on the real binary: streamed text, no warnings.</summary>
public sealed class FakeModelTests
{
    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Text_streams_word_by_word_and_the_turn_has_no_warning(string version)
    {
        const string Answer = "The fake model streams this answer word by word.";
        await using var codex = await RealClient.CreateAsync(version, "never", null, FakeModelResponse.Text(Answer));
        await using var session = await codex.Client.StartSessionAsync(codex.Session());

        // The loop of docs/sessions-and-streaming.md, collecting instead of printing.
        var deltas = new List<string>();
        var warnings = new List<string>();
        string? completed = null;
        await using var turn = await session.AskStreamingAsync("Say something.");
        using var deadline = new CancellationTokenSource(RealClient.Deadline);
        await foreach (var e in turn.WithCancellation(deadline.Token))
        {
            switch (e)
            {
                case MessageDeltaEvent d: deltas.Add(d.Delta); break;
                case WarningEvent w: warnings.Add(w.Message); break;
                case ItemCompletedEvent { Item: AgentMessageThreadItem m }: completed = m.Text; break;
            }
        }

        var result = await turn.GetResultAsync();
        Assert.Equal(Answer.Split(' ').Length, deltas.Count);
        Assert.Equal(Answer, string.Concat(deltas));
        Assert.Equal(Answer, completed);
        Assert.Equal(Answer, result.Text);
        Assert.Empty(warnings);
        Assert.Equal(TemporaryCodexHome.Model, System.Text.Json.Nodes.JsonNode.Parse(codex.Model.ModelRequests[0].Body)!["model"]!.GetValue<string>());

        // 0.171.0 warns with `warning`, 0.104.0 with the legacy `codex/event/warning`. A configWarning about the host
        // (bubblewrap missing from PATH) is the machine's, not the fake provider's; none may name the model.
        var envelopes = codex.Envelopes();
        Assert.DoesNotContain(envelopes, e => e.Method is "warning" or "codex/event/warning");
        Assert.DoesNotContain(envelopes, e => e.Method == "configWarning" && e.ToString().Contains("model", StringComparison.OrdinalIgnoreCase));
    }
}
