using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CodexRuntime.Web.Tests;

/// <summary>The <c>CodexRuntime.Web</c> meter, read from this host's own meter factory (other tests' hosts do not mix in).</summary>
public sealed class WebMetricsTests
{
    [Fact]
    public async Task Sessions_turns_clients_reconnects_and_approvals_are_counted()
    {
        await using var host = await WebHost.StartAsync(CodexProtocolVersions.Pinned.ToString(),
        [
            FakeModelResponse.ExecCommand("touch approved.txt", requestEscalation: true, callId: "call-m"),
            FakeModelResponse.Text("done"),
        ]);
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var measured = new ConcurrentQueue<(string Instrument, long Value, string? Outcome)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "CodexRuntime.Web" && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    outcome = tag.Value as string;
                }
            }

            measured.Enqueue((instrument.Name, value, outcome));
        });
        listener.Start();

        using var http = host.For("tenant-a");
        var (sessionId, _) = await http.CreateSessionAsync();
        using var started = await http.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "create approved.txt" });
        var approval = (await http.ReadEventsAsync($"/codex/sessions/{sessionId}/approvals", e => e.EventType == "approval"))[^1].Data();
        using var answered = await http.PostJsonAsync($"/codex/sessions/{sessionId}/approvals/{approval["approvalId"]}", new JsonObject { ["decision"] = "accept" });
        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        await http.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted", lastEventId: "1");

        var all = measured.ToArray();
        Assert.Equal(1, all.Where(m => m.Instrument == "codex.web.sessions").Sum(m => m.Value));
        Assert.Equal(1, all.Where(m => m.Instrument == "codex.web.turns").Sum(m => m.Value));
        Assert.Contains(all, m => m is { Instrument: "codex.web.approvals", Value: 1, Outcome: "accept" });
        Assert.Contains(all, m => m is { Instrument: "codex.web.sse.reconnects", Value: 1, Outcome: "replayed" });
        Assert.True(all.Count(m => m.Instrument == "codex.web.sse.clients" && m.Value == 1) >= 2);
    }
}
