using System.Text.Json;
using System.Text.Json.Serialization;
using CodexRuntime.AI.Tests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI.Tests;

/// <summary>Must show 4: <c>GetResponseAsync&lt;T&gt;</c> through codex's <c>outputSchema</c>.</summary>
public sealed class StructuredOutputTests
{
    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task GetResponseAsync_of_T_returns_a_typed_object_through_the_output_schema(string version)
    {
        await using var codex = await AiCodex.CreateAsync(version, "never", null, null,
            FakeModelResponse.Text("""{"name":"codex","score":7}"""));
        using var deadline = new CancellationTokenSource(AiCodex.Deadline);

        var response = await codex.Chat.GetResponseAsync<Verdict>("rate codex", VerdictJson.Default.Options, useJsonSchemaResponseFormat: true, cancellationToken: deadline.Token);

        Assert.Equal(new Verdict("codex", 7), response.Result);
        Assert.Equal(codex.Client.Sessions.Single().ThreadId, response.ConversationId);
        // The schema reached the model as codex's structured output format (it names the record's properties).
        var format = codex.Model.ModelRequests[0].Json?["text"]?["format"];
        Assert.Equal("json_schema", (string?)format?["type"]);
        var properties = format?["schema"]?["properties"]?.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal<string[]>(["name", "score"], properties);
    }

    [Fact]
    public async Task Plain_json_mode_is_refused_because_codex_needs_a_schema()
    {
        var sandbox = await CodexSandbox.CreateAsync(CodexVersions.Newest);
        await using var codex = AiCodex.Create(sandbox, ownsSandbox: true);
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => codex.Chat.GetResponseAsync("json please", new ChatOptions { ResponseFormat = ChatResponseFormat.Json }));
        Assert.Contains("JSON schema", error.Message, StringComparison.Ordinal);
        Assert.Empty(codex.Model.ModelRequests);
    }
}

/// <summary>The typed answer.</summary>
public sealed record Verdict(string Name, int Score);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Verdict))]
internal sealed partial class VerdictJson : JsonSerializerContext;
