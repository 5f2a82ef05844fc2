using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CodexRuntime.Diagnostics;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.Diagnostics;

/// <summary>Activities per request and per turn, and the meter's instruments.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Each_request_and_each_turn_is_an_activity_and_requests_are_measured()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CodexDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentQueue<(string Instrument, long Value, object? Method)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CodexDiagnostics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            object? method = null;
            foreach (var tag in tags)
            {
                method = tag.Key == "rpc.method" ? tag.Value : method;
            }

            measurements.Enqueue((instrument.Name, value, method));
        });
        meterListener.Start();

        // A method name only this test uses: listeners are process-wide and other tests run in parallel.
        var method = $"test/telemetry-{Guid.NewGuid():N}";
        var turnId = $"turn-{Guid.NewGuid():N}";
        await using var scripted = await ScriptedRuntime.StartAsync(o => o.Connection.ValidationMode = CodexRuntime.Rpc.CodexValidationMode.None);
        var call = scripted.Runtime.AppServer.SendRawRequestAsync(method);
        await scripted.AnswerNextAsync("{}");
        await call;
        await scripted.Peer.WriteLineAsync("{\"method\":\"turn/started\",\"params\":{\"threadId\":\"t\",\"turn\":{\"id\":\"" + turnId + "\",\"items\":[],\"status\":\"inProgress\"}}}");
        await scripted.Peer.WriteLineAsync("{\"method\":\"turn/completed\",\"params\":{\"threadId\":\"t\",\"turn\":{\"id\":\"" + turnId + "\",\"items\":[],\"status\":\"failed\",\"error\":{\"message\":\"model refused\"}}}}");
        await scripted.Runtime.WaitForTurnAsync("t", turnId, TimeSpan.FromSeconds(10));
        await CodexRuntimeHostTests.WaitUntilAsync(() => activities.Any(a => a.OperationName == CodexDiagnostics.TurnActivityName && (string?)a.GetTagItem("codex.turn_id") == turnId));

        var request = Assert.Single(activities, a => (string?)a.GetTagItem("rpc.method") == method);
        Assert.Equal(CodexDiagnostics.RequestActivityName, request.OperationName);
        Assert.Equal(ActivityKind.Client, request.Kind);
        var turn = Assert.Single(activities, a => (string?)a.GetTagItem("codex.turn_id") == turnId);
        Assert.Equal("Failed", turn.GetTagItem("codex.turn.status"));
        Assert.Equal(ActivityStatusCode.Error, turn.Status);
        Assert.Equal("model refused", turn.StatusDescription);
        Assert.Contains(measurements, m => m.Instrument == "codex.runtime.requests" && (string?)m.Method == method && m.Value == 1);
        meterListener.RecordObservableInstruments();
        Assert.Contains(measurements, m => m.Instrument == "codex.runtime.inbound.messages" && m.Value >= 3);
    }
}
