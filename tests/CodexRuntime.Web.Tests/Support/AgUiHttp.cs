using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using CodexRuntime.Events;

namespace CodexRuntime.Web.Tests.Support;

/// <summary>AG-UI over plain HTTP: a <c>RunAgentInput</c> posted to <c>/agui</c> and its SSE events read as JSON, no client library.</summary>
internal static class AgUiHttp
{
    /// <summary>A RunAgentInput as the official HttpAgent sends it (tools, context, state and forwardedProps empty).</summary>
    public static JsonObject Input(string threadId, string runId, JsonArray messages, JsonArray? resume = null)
    {
        var input = new JsonObject
        {
            ["threadId"] = threadId,
            ["runId"] = runId,
            ["protocolVersion"] = "1.0",
            ["tools"] = new JsonArray(),
            ["context"] = new JsonArray(),
            ["forwardedProps"] = new JsonObject(),
            ["state"] = new JsonObject(),
            ["messages"] = messages,
        };
        if (resume is not null)
        {
            input["resume"] = resume;
        }

        return input;
    }

    public static JsonObject User(string id, string text) => new() { ["id"] = id, ["role"] = "user", ["content"] = text };

    public static JsonObject Assistant(string id, string text) => new() { ["id"] = id, ["role"] = "assistant", ["content"] = text };

    /// <summary>Posts a run and reads its events to the end of the stream (the server ends it after RUN_FINISHED or RUN_ERROR).</summary>
    public static async Task<List<JsonObject>> RunAsync(this HttpClient http, JsonObject input, string path = "/agui")
    {
        using var response = await http.OpenRunAsync(input, path);
        return await response.ReadRunAsync();
    }

    /// <summary>
    /// Posts a run and returns once its stream is open: the server decided the run before answering (the turn is
    /// started, the interrupts answered), so what a test does next happens during the run.
    /// </summary>
    public static async Task<HttpResponseMessage> OpenRunAsync(this HttpClient http, JsonObject input, string path = "/agui")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = CodexHttp.Json(input) };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var deadline = new CancellationTokenSource(WebHost.Deadline);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            Assert.Fail($"{path}: {(int)response.StatusCode} {body}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return response;
    }

    /// <summary>Reads an open run's events to the end of its stream.</summary>
    public static async Task<List<JsonObject>> ReadRunAsync(this HttpResponseMessage response)
    {
        using var deadline = new CancellationTokenSource(WebHost.Deadline);
        await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
        var events = new List<JsonObject>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(deadline.Token))
        {
            events.Add(JsonNode.Parse(item.Data)!.AsObject());
        }

        return events;
    }

    public static string Type(this JsonObject e) => (string)e["type"]!;

    /// <summary>The order rules every run's events keep: RUN_STARTED first, one RUN_FINISHED or RUN_ERROR last, content only inside its message, every tool call closed.</summary>
    public static void AssertWellFormed(IReadOnlyList<JsonObject> events)
    {
        Assert.Equal("RUN_STARTED", events[0].Type());
        Assert.Contains(events[^1].Type(), new[] { "RUN_FINISHED", "RUN_ERROR" });
        Assert.Single(events, e => e.Type() is "RUN_FINISHED" or "RUN_ERROR");
        var openText = new HashSet<string>();
        var openCalls = new HashSet<string>();
        foreach (var e in events)
        {
            switch (e.Type())
            {
                case "TEXT_MESSAGE_START":
                    Assert.True(openText.Add((string)e["messageId"]!), e.ToJsonString());
                    break;
                case "TEXT_MESSAGE_CONTENT":
                    Assert.Contains((string)e["messageId"]!, openText);
                    break;
                case "TEXT_MESSAGE_END":
                    Assert.True(openText.Remove((string)e["messageId"]!), e.ToJsonString());
                    break;
                case "TOOL_CALL_START":
                    Assert.True(openCalls.Add((string)e["toolCallId"]!), e.ToJsonString());
                    break;
                case "TOOL_CALL_ARGS":
                    Assert.Contains((string)e["toolCallId"]!, openCalls);
                    break;
                case "TOOL_CALL_END":
                    Assert.True(openCalls.Remove((string)e["toolCallId"]!), e.ToJsonString());
                    break;
            }
        }

        Assert.Empty(openText);
        Assert.Empty(openCalls);
    }

    /// <summary>Every outbound message the audit subscription saw so far (nothing new: nothing reached codex).</summary>
    public static int Outbound(this CodexEnvelopeSubscription audit, List<CodexEnvelope> seen)
    {
        audit.Sent(seen, string.Empty);
        return seen.Count(e => e.Direction == CodexDirection.Outbound);
    }

    /// <summary>The outbound requests of <paramref name="method"/> the audit subscription saw so far.</summary>
    public static int Sent(this CodexEnvelopeSubscription audit, List<CodexEnvelope> seen, string method)
    {
        while (audit.Reader.TryRead(out var envelope))
        {
            seen.Add(envelope);
        }

        return seen.Count(e => e.Direction == CodexDirection.Outbound && e.Method == method);
    }
}
