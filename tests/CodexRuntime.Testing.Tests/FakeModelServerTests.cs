using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CodexRuntime.Testing.Tests;

/// <summary>FakeModelServer over real HTTP on loopback, read back as a Responses API client reads it.</summary>
public sealed class FakeModelServerTests : IAsyncLifetime
{
    private readonly FakeModelServer _server = FakeModelServer.Start();
    private readonly HttpClient _http = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public void Listens_on_loopback_with_a_v1_base_url()
    {
        Assert.Equal($"http://127.0.0.1:{_server.Port}/v1", _server.BaseUrl);
        Assert.InRange(_server.Port, 1, 65535);
    }

    [Fact]
    public async Task Streamed_text_is_served_as_ordered_sse_events_and_the_request_is_recorded()
    {
        _server.Enqueue(FakeModelResponse.StreamedText(["Hel", "lo"]));

        var (status, contentType, events) = await PostAsync("""{"model":"mock-model","input":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/event-stream", contentType);
        Assert.Equal(
            ["response.created", "response.output_item.added", "response.output_text.delta", "response.output_text.delta", "response.output_item.done", "response.completed"],
            events.Select(e => e.Type));
        // Every "event:" line matches the "type" inside its data, as codex expects.
        Assert.All(events, e => Assert.Equal(e.Type, (string?)e.Data["type"]));
        Assert.Equal(["Hel", "lo"], events.Where(e => e.Type == "response.output_text.delta").Select(e => (string?)e.Data["delta"]));
        var done = events.Single(e => e.Type == "response.output_item.done").Data["item"]!;
        Assert.Equal("Hello", (string?)done["content"]![0]!["text"]);
        Assert.Equal((string?)events[1].Data["item"]!["id"], (string?)done["id"]);
        Assert.Equal(15, (int?)events[^1].Data["response"]!["usage"]!["total_tokens"]);

        var recorded = Assert.Single(_server.ModelRequests);
        Assert.Equal("/v1/responses", recorded.Path);
        Assert.Equal("hi", (string?)recorded.Json!["input"]![0]!["content"]);
        Assert.Equal("streamed text (2 deltas)", recorded.Answer);
    }

    [Theory]
    [InlineData("The fake model answers.", new[] { "The ", "fake ", "model ", "answers." })]
    [InlineData("  two\nlines  ", new[] { "  two\n", "lines  " })]
    [InlineData("single", new[] { "single" })]
    [InlineData("", new string[0])]
    public async Task Text_streams_one_delta_per_word_that_concatenate_to_the_message(string text, string[] expected)
    {
        _server.Enqueue(FakeModelResponse.Text(text));

        var (_, _, events) = await PostAsync("{}");

        Assert.Equal(expected, events.Where(e => e.Type == "response.output_text.delta").Select(e => (string?)e.Data["delta"]));
        var done = events.Single(e => e.Type == "response.output_item.done").Data["item"]!;
        Assert.Equal(text, (string?)done["content"]![0]!["text"]);
        Assert.Equal($"text ({text.Length} chars)", Assert.Single(_server.ModelRequests).Answer);
    }

    [Fact]
    public async Task Answers_are_used_in_order_one_per_request()
    {
        _server.Enqueue(FakeModelResponse.Text("first"), FakeModelResponse.Text("second"));

        var first = await PostAsync("{}");
        var second = await PostAsync("{}");

        Assert.Equal("first", TextOf(first.Events));
        Assert.Equal("second", TextOf(second.Events));
        Assert.Equal(0, _server.PendingResponseCount);
        Assert.NotEqual((string?)first.Events[0].Data["response"]!["id"], (string?)second.Events[0].Data["response"]!["id"]);
    }

    [Fact]
    public async Task Exec_command_with_escalation_carries_the_sandbox_request_in_its_arguments()
    {
        _server.Enqueue(FakeModelResponse.ExecCommand("touch a.txt", requestEscalation: true, justification: "needed", callId: "call-7"));

        var (_, _, events) = await PostAsync("{}");

        var item = events.Single(e => e.Type == "response.output_item.done").Data["item"]!;
        Assert.Equal("function_call", (string?)item["type"]);
        Assert.Equal("exec_command", (string?)item["name"]);
        Assert.Equal("call-7", (string?)item["call_id"]);
        // "arguments" is a JSON string, as in the real API.
        var arguments = JsonNode.Parse((string)item["arguments"]!)!;
        Assert.Equal("touch a.txt", (string?)arguments["cmd"]);
        Assert.Equal("require_escalated", (string?)arguments["sandbox_permissions"]);
        Assert.Equal("needed", (string?)arguments["justification"]);
    }

    [Fact]
    public async Task Exec_command_without_escalation_asks_for_nothing()
    {
        _server.Enqueue(FakeModelResponse.ExecCommand("ls"));
        var (_, _, events) = await PostAsync("{}");
        var arguments = JsonNode.Parse((string)events.Single(e => e.Type == "response.output_item.done").Data["item"]!["arguments"]!)!.AsObject();
        Assert.False(arguments.ContainsKey("sandbox_permissions"));
    }

    [Fact]
    public async Task Add_file_is_an_apply_patch_heredoc_sent_through_exec_command()
    {
        _server.Enqueue(FakeModelResponse.AddFile("notes/x.txt", "line one\nline two\n"));
        var (_, _, events) = await PostAsync("{}");
        var command = (string?)JsonNode.Parse((string)events.Single(e => e.Type == "response.output_item.done").Data["item"]!["arguments"]!)!["cmd"];
        Assert.Equal("apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: notes/x.txt\n+line one\n+line two\n*** End Patch\nEOF\n", command);
    }

    [Fact]
    public async Task Http_error_answers_with_its_status_and_a_json_error()
    {
        _server.Enqueue(FakeModelResponse.HttpError(429, "slow down"));
        using var response = await _http.PostAsync(_server.BaseUrl + "/responses", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("slow down", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => FakeModelResponse.HttpError(200));
    }

    [Fact]
    public async Task A_request_past_the_end_of_the_script_fails_loudly_and_is_counted()
    {
        using var response = await _http.PostAsync(_server.BaseUrl + "/responses", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("no scripted answer left", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, _server.UnscriptedRequestCount);
        Assert.Null(Assert.Single(_server.ModelRequests).Answer);
    }

    [Fact]
    public async Task Other_paths_get_404_and_are_recorded_but_are_not_model_requests()
    {
        using var response = await _http.GetAsync(_server.BaseUrl + "/models");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("/v1/models", Assert.Single(_server.Requests).Path);
        Assert.Empty(_server.ModelRequests);
    }

    [Fact]
    public async Task Waiting_for_a_request_returns_when_it_arrives()
    {
        _server.Enqueue(FakeModelResponse.Text("x"));
        var waiting = _server.WaitForModelRequestAsync(1, TimeSpan.FromSeconds(10));
        Assert.False(waiting.IsCompleted);
        await PostAsync("""{"n":1}""");
        Assert.Equal(1, (int?)(await waiting).Json!["n"]);
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => _server.WaitForModelRequestAsync(2, TimeSpan.FromMilliseconds(50)));
        Assert.Contains("expected at least 2", timeout.Message, StringComparison.Ordinal);
    }

    private static string? TextOf(IReadOnlyList<(string Type, JsonNode Data)> events) =>
        (string?)events.Single(e => e.Type == "response.output_item.done").Data["item"]!["content"]![0]!["text"];

    [Fact]
    public async Task Routes_answer_by_prompt_ahead_of_the_script_and_the_fallback_answers_what_is_left()
    {
        _server.When(r => r.LastUserText == "report", FakeModelResponse.Text("routed 1"), FakeModelResponse.Text("routed 2"))
            .Enqueue(FakeModelResponse.Text("scripted"))
            .Otherwise(r => FakeModelResponse.Text($"echo: {r.LastUserText}"));

        var answers = new List<string>();
        foreach (var prompt in new[] { "other", "report", "report", "report", "other" })
        {
            var (status, _, events) = await PostAsync(UserMessage(prompt));
            Assert.Equal(HttpStatusCode.OK, status);
            answers.Add(events.Where(e => e.Type == "response.output_item.done").Select(e => (string)e.Data["item"]!["content"]![0]!["text"]!).Single());
        }

        // The route answers its prompt twice, then no longer matches; the script answers first in arrival order; the
        // fallback answers the rest instead of a 500.
        Assert.Equal(["scripted", "routed 1", "routed 2", "echo: report", "echo: other"], answers);
        Assert.Equal(0, _server.UnscriptedRequestCount);
        Assert.Equal(["other", "report", "report", "report", "other"], _server.ModelRequests.Select(r => r.LastUserText));
    }

    [Fact]
    public async Task Without_a_fallback_a_request_nothing_answers_is_a_500_naming_the_three_ways_to_answer_it()
    {
        _server.When(r => r.LastUserText == "report", FakeModelResponse.Text("routed"));

        using var response = await _http.PostAsync(_server.BaseUrl + "/responses", new StringContent(UserMessage("other"), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("When", body, StringComparison.Ordinal);
        Assert.Contains("Otherwise", body, StringComparison.Ordinal);
        Assert.Equal(1, _server.UnscriptedRequestCount);
    }

    /// <summary>A Responses API body as codex sends it: its own context message, then the user's prompt.</summary>
    private static string UserMessage(string prompt) => new JsonObject
    {
        ["model"] = "mock-model",
        ["input"] = new JsonArray
        {
            new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "input_text", ["text"] = "<environment_context>...</environment_context>" } } },
            new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "input_text", ["text"] = prompt } } },
        },
    }.ToJsonString();

    private async Task<(HttpStatusCode Status, string? ContentType, IReadOnlyList<(string Type, JsonNode Data)> Events)> PostAsync(string body)
    {
        using var response = await _http.PostAsync(_server.BaseUrl + "/responses", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var events = new List<(string, JsonNode)>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var type = lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            var data = lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            events.Add((type, JsonNode.Parse(data)!));
        }

        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, events);
    }
}
