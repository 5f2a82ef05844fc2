using System.Collections.Concurrent;
using CodexRuntime.AI.Tests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.AI.Tests;

/// <summary>
/// Must show 1: codex behind the official middleware (function invocation, OpenTelemetry, logging). codex runs a shell
/// command; the stream carries it as informational call and result contents plus the text, and the function-invoking
/// client invokes nothing, although its registry holds functions under every name codex's tool use could be taken for.
/// </summary>
public sealed class ChatClientPipelineTests
{
    private const string Source = "CodexRuntime.AI.Tests.Pipeline";

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task Codex_tool_use_streams_as_informational_contents_and_nothing_is_invoked(string version)
    {
        await using var codex = await AiCodex.CreateAsync(version, "never", null, null,
            FakeModelResponse.ExecCommand("echo pipeline-ran", callId: "call-echo"),
            FakeModelResponse.Text("The command printed pipeline-ran."));
        var invoked = new ConcurrentBag<string>();
        var registry = new[] { "commandExecution", "exec_command", "shell", "call-echo" }
            .Select(name => (AITool)AIFunctionFactory.Create(() => { invoked.Add(name); return "must not run"; }, name))
            .ToList();
        using var recorded = new RecordedActivities(Source);
        using var logs = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace));

        using var pipeline = new ChatClientBuilder(codex.Chat)
            .UseFunctionInvocation(configure: f => f.AdditionalTools = registry)
            .UseOpenTelemetry(sourceName: Source)
            .UseLogging(logs)
            .Build();

        var updates = new List<ChatResponseUpdate>();
        using var deadline = new CancellationTokenSource(AiCodex.Deadline);
        await foreach (var update in pipeline.GetStreamingResponseAsync("run echo pipeline-ran", cancellationToken: deadline.Token))
        {
            updates.Add(update);
        }

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.True(call.InformationalOnly);
        Assert.Equal("commandExecution", call.Name);
        Assert.Equal("call-echo", call.CallId);
        Assert.Contains("echo pipeline-ran", (string?)call.Arguments?["command"], StringComparison.Ordinal);
        var result = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionResultContent>());
        Assert.Equal("call-echo", result.CallId);
        Assert.Contains("pipeline-ran", result.Result as string, StringComparison.Ordinal);
        Assert.Equal("The command printed pipeline-ran.", string.Concat(updates.Select(u => u.Text)));

        // One message id for the whole text; every update names the thread.
        var text = updates.Where(u => u.Contents.OfType<TextContent>().Any()).ToList();
        Assert.True(text.Count > 1, "The text came in one piece; the script streams it word by word.");
        Assert.Single(text.Select(u => u.MessageId).Distinct());
        var threadId = Assert.Single(updates.Select(u => u.ConversationId).Distinct());
        Assert.Equal(codex.Client.Sessions.Single().ThreadId, threadId);
        Assert.Contains(updates.SelectMany(u => u.Contents), c => c is UsageContent { Details.TotalTokenCount: > 0 });

        // Nothing invoked by the middleware: codex ran the command once, and the model saw only codex's own output.
        Assert.Empty(invoked);
        Assert.Equal(2, codex.Model.ModelRequests.Count);
        Assert.Equal(0, codex.Model.UnscriptedRequestCount);
        Assert.Contains("pipeline-ran", Assert.Single(codex.Model.ModelRequests[1].CommandOutputs), StringComparison.Ordinal);
        Assert.DoesNotContain("must not run", codex.Model.ModelRequests[1].Body, StringComparison.Ordinal);

        var activities = recorded.Stopped;
        // OpenTelemetry recorded one model call (the function-invoking client's loop ran once) inside its tool orchestration.
        var activity = Assert.Single(activities, a => a.DisplayName.StartsWith("chat", StringComparison.Ordinal));
        Assert.Contains(activities, a => a.DisplayName == "orchestrate_tools");
        Assert.Equal("codex", activity.GetTagItem("gen_ai.provider.name") ?? activity.GetTagItem("gen_ai.system"));
    }
}
