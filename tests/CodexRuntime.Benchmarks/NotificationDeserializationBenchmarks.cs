using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// Reading one recorded notification line into the typed model, the way the connection does it (classify the line,
/// then deserialize <c>params</c> with the source-generated context), against parsing the same line into a
/// <see cref="JsonDocument"/> as the baseline.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class NotificationDeserializationBenchmarks
{
    private byte[] _delta = [];
    private byte[] _completed = [];

    [GlobalSetup]
    public void Setup()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Recordings", "codex-0.169.0-session.jsonl"));
        _delta = Encoding.UTF8.GetBytes(lines.First(l => l.Contains("\"item/agentMessage/delta\"", StringComparison.Ordinal)));
        // A completed command execution: the richest item of the recorded session.
        _completed = Encoding.UTF8.GetBytes(lines.First(l => l.Contains("\"item/completed\"", StringComparison.Ordinal) && l.Contains("\"commandExecution\"", StringComparison.Ordinal)));
    }

    [Benchmark(Baseline = true), BenchmarkCategory("item/agentMessage/delta")]
    public int Delta_JsonDocument() => ParseDocument(_delta);

    [Benchmark, BenchmarkCategory("item/agentMessage/delta")]
    public int Delta_Typed() => Typed(_delta, CodexNotifications.ItemAgentMessageDelta).Delta.Length;

    [Benchmark(Baseline = true), BenchmarkCategory("item/completed")]
    public int Completed_JsonDocument() => ParseDocument(_completed);

    [Benchmark, BenchmarkCategory("item/completed")]
    public int Completed_Typed() => Typed(_completed, CodexNotifications.ItemCompleted).Item is CommandExecutionThreadItem ? 1 : 0;

    private static int ParseDocument(byte[] line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("params"u8).GetPropertyCount();
    }

    private static T Typed<T>(byte[] line, CodexNotificationType<T> type)
    {
        InboundLineClassifier.Classify(new ReadOnlySequence<byte>(line), out var method, out var id, out _);
        var message = new CodexInboundMessage(1, default, CodexMessageKind.Notification, method!, id, line);
        return message.ReadParams(type);
    }
}
