using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Serialization;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.Protocol;

/// <summary>
/// Every message of a whole recorded session (a streamed turn, a command with an approval request, an apply_patch file
/// change with an approval request) from both supported codex versions reads into the typed model and writes back to
/// equivalent JSON.
/// </summary>
public sealed class RecordedRoundTripTests
{
    [Theory]
    [InlineData(Recording.Newest)]
    [InlineData(Recording.Floor)]
    public void Every_recorded_message_round_trips_through_the_typed_model(string version)
    {
        var recording = Recording.Load(version);
        var typed = 0;
        var untyped = new List<string>();
        foreach (var line in recording.Lines)
        {
            var message = JsonNode.Parse(line)!.AsObject();
            Type? payloadType;
            JsonNode? payload;
            if (message["method"] is { } methodNode)
            {
                var method = methodNode.GetValue<string>();
                payloadType = message.ContainsKey("id") ? CodexServerRequests.Find(method)?.ParamsType : CodexNotifications.Find(method)?.PayloadType;
                payload = message["params"];
                if (payloadType is null)
                {
                    untyped.Add(method);
                    continue;
                }
            }
            else
            {
                var method = recording.RequestMethod(message["id"]!);
                payloadType = CodexMethods.Find(method)!.ResultType;
                payload = message["result"];
            }

            AssertRoundTrip(payloadType, payload, line);
            typed++;
        }

        foreach (var line in recording.Outbound)
        {
            var message = JsonNode.Parse(line)!.AsObject();
            if (message["method"] is { } method && CodexMethods.Find(method.GetValue<string>()) is { } known && message["params"] is { } parameters)
            {
                AssertRoundTrip(known.ParamsType, parameters, line);
                typed++;
            }
        }

        // Only 0.104.0's legacy codex/event/* stream is outside the schema; everything else is typed.
        Assert.All(untyped, method => Assert.StartsWith("codex/event/", method, StringComparison.Ordinal));
        Assert.True(typed > 40, $"only {typed} messages were typed");
    }

    [Theory]
    [InlineData(Recording.Newest)]
    [InlineData(Recording.Floor)]
    public void Recorded_items_and_approvals_read_as_their_specific_cases(string version)
    {
        var recording = Recording.Load(version);
        var items = recording.Lines
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Where(m => (string?)m["method"] == "item/completed")
            .Select(m => Read<ItemCompletedNotification>(m["params"]!).Item)
            .ToList();

        Assert.DoesNotContain(items, i => i is UnrecognizedThreadItem);
        var command = Assert.Single(items.OfType<CommandExecutionThreadItem>());
        Assert.Contains("touch approved.txt", command.Command, StringComparison.Ordinal);
        var fileChange = Assert.Single(items.OfType<FileChangeThreadItem>());
        Assert.EndsWith("patched.txt", Assert.Single(fileChange.Changes).Path, StringComparison.Ordinal);
        Assert.Contains(items.OfType<AgentMessageThreadItem>(), m => m.Text == "Hello from codex");

        var approval = JsonNode.Parse(recording.First("item/commandExecution/requestApproval"))!;
        var request = Read<CommandExecutionRequestApprovalParams>(approval["params"]!);
        Assert.Equal(command.Id, request.ItemId);
    }

    private static T Read<T>(JsonNode node) => Wire.Read<T>(node);

    private static void AssertRoundTrip(Type type, JsonNode? payload, string line)
    {
        var typeInfo = CodexJsonContext.WireOptions.GetTypeInfo(type);
        var value = JsonSerializer.Deserialize(payload, typeInfo);
        Assert.NotNull(value);
        Assert.IsType(type, value, exactMatch: false);
        var written = JsonSerializer.SerializeToNode(value, typeInfo);
        try
        {
            JsonEquivalence.AssertEquivalent(payload, written);
        }
        catch (Xunit.Sdk.TrueException ex)
        {
            throw new Xunit.Sdk.XunitException($"{type.Name} did not round-trip: {ex.Message}\nline: {line[..Math.Min(300, line.Length)]}");
        }
    }
}
