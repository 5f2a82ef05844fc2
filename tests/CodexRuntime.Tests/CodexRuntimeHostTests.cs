using System.Text.Json;
using CodexRuntime.Events;
using CodexRuntime.State;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests;

/// <summary>The runtime's life over in-memory peers: start, calls, crash, restart, clean exit, stop.</summary>
public sealed class CodexRuntimeHostTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_call_before_StartAsync_says_to_call_StartAsync()
    {
        await using var runtime = new CodexRuntimeHost(new CodexRuntimeOptions());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.AppServer.SendRawRequestAsync("model/list"));

        Assert.Contains("StartAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_options_fail_StartAsync_listing_every_problem_and_nothing_starts()
    {
        var options = new CodexRuntimeOptions { EventSinkCapacity = 0, RestartPolicy = null! };
        options.ServerRequests.Deadline = TimeSpan.Zero;
        var factoryCalls = 0;
        options.TransportFactory = _ => throw new InvalidOperationException($"called {++factoryCalls}");
        await using var runtime = new CodexRuntimeHost(options);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => runtime.StartAsync());

        Assert.Contains("EventSinkCapacity is 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("RestartPolicy is null", error.Message, StringComparison.Ordinal);
        Assert.Contains("ServerRequests.Deadline", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, factoryCalls);
        Assert.Equal(CodexConnectionStatus.NotStarted, runtime.Status);
    }

    [Fact]
    public async Task Requests_go_through_the_runtime_and_are_counted()
    {
        await using var scripted = await ScriptedRuntime.StartAsync();
        var call = scripted.Runtime.AppServer.SendRawRequestAsync("model/list", Json("""{"limit":1}"""));
        var request = await scripted.AnswerNextAsync("""{"data":[]}""");
        var result = await call.WaitAsync(Deadline);

        Assert.Equal("model/list", (string?)request["method"]);
        Assert.Equal(JsonValueKind.Array, result.GetProperty("data").ValueKind);
        var failing = scripted.Runtime.AppServer.SendRawRequestAsync("model/list");
        var second = await scripted.Peer.ReadAsync();
        await scripted.Peer.WriteLineAsync($$$"""{"id":{{{second["id"]}}},"error":{"code":-32600,"message":"bad"}}""");
        await Assert.ThrowsAsync<CodexInvalidRequestException>(() => failing.WaitAsync(Deadline));

        var metrics = scripted.Runtime.MetricsSnapshot();
        Assert.Equal(2, metrics.RequestsSent);
        Assert.Equal(1, metrics.RequestsFailed);
        Assert.Equal(0, metrics.PendingRequests);
        Assert.Equal(2, metrics.InboundMessages);
        Assert.Equal(CodexConnectionStatus.Connected, scripted.Runtime.State.Connection.Status);
        Assert.Equal("0.169.0", scripted.Runtime.ServerInfo.Version.ToString());
    }

    [Fact]
    public async Task Without_a_restart_policy_a_crash_fails_pending_calls_with_exit_code_and_stderr_and_faults_the_runtime()
    {
        await using var scripted = await ScriptedRuntime.StartAsync();
        using var events = scripted.Runtime.Subscribe(new CodexSubscriptionOptions { Filter = e => e.Kind == CodexEnvelopeKind.Lifecycle });
        var pending = scripted.Runtime.AppServer.SendRawRequestAsync("thread/read", Json("""{"threadId":"t"}"""));
        await scripted.Peer.ReadAsync();

        await scripted.Transport.Exit(3, "thread 'main' panicked");
        var error = await Assert.ThrowsAsync<CodexTransportClosedException>(() => pending.WaitAsync(Deadline));

        Assert.Equal(3, error.ExitCode);
        Assert.Equal("thread 'main' panicked", error.StderrTail);
        Assert.Equal(["codexRuntime/disconnected", "codexRuntime/faulted"], await LifecycleAsync(events));
        Assert.Equal(CodexConnectionStatus.Faulted, scripted.Runtime.Status);
        var later = await Assert.ThrowsAsync<CodexTransportClosedException>(() => scripted.Runtime.AppServer.SendRawRequestAsync("thread/read"));
        Assert.Equal(3, later.ExitCode);
        Assert.Contains("was not restarted", later.Message, StringComparison.Ordinal);
        Assert.Equal(1, scripted.ConnectionCount);
    }

    [Fact]
    public async Task With_the_restart_policy_a_crash_reconnects_re_initializes_and_says_so_in_the_stream()
    {
        await using var scripted = await ScriptedRuntime.StartAsync(o => o.RestartPolicy = CodexRestartPolicy.OnCrash(2, TimeSpan.FromMilliseconds(10)));
        using var events = scripted.Runtime.Subscribe(new CodexSubscriptionOptions { Filter = e => e.Kind == CodexEnvelopeKind.Lifecycle });

        await scripted.Transport.Exit(1);
        await WaitUntilAsync(() => scripted.ConnectionCount == 2 && scripted.Runtime.Status == CodexConnectionStatus.Connected);
        var call = scripted.Runtime.AppServer.SendRawRequestAsync("model/list");
        await scripted.AnswerNextAsync("""{"data":[]}""");
        await call.WaitAsync(Deadline);

        var lifecycle = new List<CodexEnvelope>();
        while (lifecycle.Count < 3)
        {
            lifecycle.Add(await events.Reader.ReadAsync().AsTask().WaitAsync(Deadline));
        }

        Assert.Equal(["codexRuntime/disconnected", "codexRuntime/restarting", "codexRuntime/restarted"], lifecycle.Select(e => e.Method));
        Assert.Equal(1, JsonDocument.Parse(lifecycle[0].Json).RootElement.GetProperty("params").GetProperty("exitCode").GetInt32());
        Assert.Equal(1, JsonDocument.Parse(lifecycle[2].Json).RootElement.GetProperty("params").GetProperty("attempt").GetInt32());
        Assert.Equal(CodexDirection.Local, lifecycle[2].Direction);
        Assert.Equal(1, scripted.Runtime.State.Connection.Restarts);
        Assert.Equal(1, scripted.Runtime.State.Connection.LastDisconnect!.ExitCode);
    }

    [Fact]
    public async Task A_call_made_while_codex_restarts_waits_for_the_new_process()
    {
        await using var scripted = await ScriptedRuntime.StartAsync(o => o.RestartPolicy = CodexRestartPolicy.OnCrash(1, TimeSpan.FromMilliseconds(300)));

        await scripted.Transport.Exit(9);
        await WaitUntilAsync(() => scripted.Runtime.Status == CodexConnectionStatus.Restarting);
        var call = scripted.Runtime.AppServer.SendRawRequestAsync("model/list");
        await WaitUntilAsync(() => scripted.ConnectionCount == 2);
        await scripted.AnswerNextAsync("""{"data":[]}""");

        await call.WaitAsync(Deadline);
        Assert.Equal(CodexConnectionStatus.Connected, scripted.Runtime.Status);
    }

    [Fact]
    public async Task Restarts_are_bounded_then_the_runtime_is_faulted_and_every_stream_completes()
    {
        await using var scripted = await ScriptedRuntime.StartAsync(o => o.RestartPolicy = CodexRestartPolicy.OnCrash(2, TimeSpan.FromMilliseconds(10)));
        using var subscription = scripted.Runtime.Subscribe();
        using var requests = scripted.Runtime.OpenServerRequestStream();

        for (var crash = 1; crash <= 3; crash++)
        {
            await WaitUntilAsync(() => scripted.ConnectionCount == crash && scripted.Runtime.Status == CodexConnectionStatus.Connected);
            await scripted.Transport.Exit(crash);
        }

        await WaitUntilAsync(() => scripted.Runtime.Status == CodexConnectionStatus.Faulted);
        Assert.Equal(3, scripted.ConnectionCount);
        await DrainAsync(subscription);
        await foreach (var unexpected in requests.ReadAllAsync().WithCancellation(new CancellationTokenSource(Deadline).Token))
        {
            Assert.Fail($"no server request was sent, got {unexpected.Method}");
        }

        var error = await Assert.ThrowsAsync<CodexTransportClosedException>(() => scripted.Runtime.AppServer.SendRawRequestAsync("model/list"));
        Assert.Equal(3, error.ExitCode);
        Assert.Equal(2, scripted.Runtime.MetricsSnapshot().Restarts);
    }

    [Fact]
    public async Task A_clean_exit_is_not_a_crash_and_is_not_restarted()
    {
        await using var scripted = await ScriptedRuntime.StartAsync(o => o.RestartPolicy = CodexRestartPolicy.OnCrash(3, TimeSpan.FromMilliseconds(10)));
        using var events = scripted.Runtime.Subscribe(new CodexSubscriptionOptions { Filter = e => e.Kind == CodexEnvelopeKind.Lifecycle });

        await scripted.Transport.Exit(0);

        Assert.Equal(["codexRuntime/disconnected", "codexRuntime/stopped"], await LifecycleAsync(events));
        Assert.Equal(CodexConnectionStatus.Stopped, scripted.Runtime.Status);
        Assert.Equal(1, scripted.ConnectionCount);
    }

    [Fact]
    public async Task Stopping_fails_pending_work_completes_every_stream_and_is_idempotent()
    {
        var scripted = await ScriptedRuntime.StartAsync();
        using var subscription = scripted.Runtime.Subscribe();
        using var requests = scripted.Runtime.OpenServerRequestStream();
        var pending = scripted.Runtime.AppServer.SendRawRequestAsync("thread/read", Json("""{"threadId":"t"}"""));
        var turn = scripted.Runtime.WaitForTurnAsync("t", "u", Deadline);
        await scripted.Peer.ReadAsync();

        await scripted.Runtime.StopAsync().WaitAsync(Deadline);
        await scripted.DisposeAsync();

        await Assert.ThrowsAsync<CodexTransportClosedException>(() => pending.WaitAsync(Deadline));
        await Assert.ThrowsAsync<CodexTransportClosedException>(() => turn.WaitAsync(Deadline));
        var all = await DrainAsync(subscription);
        Assert.Equal("codexRuntime/stopped", all[^1].Method);
        await foreach (var unexpected in requests.ReadAllAsync().WithCancellation(new CancellationTokenSource(Deadline).Token))
        {
            Assert.Fail($"no server request was sent, got {unexpected.Method}");
        }

        Assert.Equal(CodexConnectionStatus.Stopped, scripted.Runtime.Status);
        await Assert.ThrowsAsync<CodexTransportClosedException>(() => scripted.Runtime.AppServer.SendRawRequestAsync("model/list"));
        Assert.Throws<ObjectDisposedException>(() => scripted.Runtime.OpenServerRequestStream());
    }

    internal static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static async Task<List<string>> LifecycleAsync(CodexEnvelopeSubscription events) =>
        (await DrainAsync(events)).Select(e => e.Method!).ToList();

    private static async Task<List<CodexEnvelope>> DrainAsync(CodexEnvelopeSubscription subscription)
    {
        var all = new List<CodexEnvelope>();
        await foreach (var envelope in subscription.ReadAllAsync().WithCancellation(new CancellationTokenSource(Deadline).Token))
        {
            all.Add(envelope);
        }

        return all;
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true in time");
            await Task.Delay(10);
        }
    }
}
