using System.Diagnostics;
using System.Reflection;
using CodexRuntime.Events;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.IntegrationTests.Transport;

/// <summary>
/// A client process attached to a listening codex is killed (SIGKILL) in the middle of a streaming turn; a new client
/// attaches to the same server, resumes the thread and sees the turn that the dead client started complete.
/// </summary>
public sealed class ClientRestartTests
{
    private const string Token = "restart-test-token";

    [Theory]
    [MemberData(nameof(SocketTransportTests.Kinds), MemberType = typeof(SocketTransportTests))]
    public async Task A_client_killed_mid_turn_reattaches_and_observes_the_turn_complete(string kind)
    {
        var endpoint = SocketEndpoints.Create(kind);
        var token = kind == "ws" ? Token : null;
        await using var sandbox = await CodexSandbox.CreateAsync(CodexInstallations.Newest, "never",
        [
            FakeModelResponse.StreamedText(Enumerable.Range(0, 50).Select(i => $"word{i} "), TimeSpan.FromMilliseconds(100)),
        ]);
        // The server's owner: this process starts codex on the socket and keeps it running; it opens no thread.
        await using var owner = RealClient.Create(sandbox, config =>
        {
            config.Runtime.Process.Listen = endpoint;
            config.Runtime.Process.WebSocketToken = token;
        });
        await owner.Client.ConnectAsync();

        var (threadId, turnId) = await RunWorkerUntilFirstDeltaThenKillAsync(endpoint.ToString(), token, sandbox.Workspace.FullName);

        await using var restarted = RealClient.Create(sandbox, config =>
        {
            config.Runtime.Process.Attach = endpoint;
            config.Runtime.Process.WebSocketToken = token;
        });
        await using var session = await restarted.Client.ResumeSessionAsync(threadId, restarted.Session());
        Assert.Equal(threadId, session.ThreadId);
        // The running turn is readable at once: the resumed thread is active (the client pages turns separately, so the
        // resume response lists none).
        var thread = restarted.Client.Runtime.State.FindThread(threadId);
        Assert.True(thread?.Status is ActiveThreadStatus, $"After resume the thread is {thread?.Status?.ToString() ?? "unknown"}.");

        // The turn goes on in codex after its client died; the re-attached client hears its deltas and its end.
        var deltas = 0;
        CodexEnvelope? completed = null;
        using var deadline = new CancellationTokenSource(RealClient.Deadline);
        while (completed is null && await restarted.Audit.Reader.WaitToReadAsync(deadline.Token))
        {
            while (restarted.Audit.Reader.TryRead(out var envelope))
            {
                if (envelope.Is(CodexNotifications.ItemAgentMessageDelta) && envelope.TurnId == turnId)
                {
                    deltas++;
                }
                else if (envelope.Is(CodexNotifications.TurnCompleted) && envelope.TurnId == turnId)
                {
                    completed = envelope;
                    break;
                }
            }
        }

        Assert.NotNull(completed);
        var turn = completed.ReadParams(CodexNotifications.TurnCompleted).Turn;
        Assert.Equal(TurnStatus.Completed, turn.Status);
        Assert.True(deltas > 0, "The re-attached client saw no delta of the running turn.");
    }

    /// <summary>Starts the worker client, waits (with a deadline) until its turn streams, kills it, and returns the ids it printed.</summary>
    private static async Task<(string ThreadId, string TurnId)> RunWorkerUntilFirstDeltaThenKillAsync(string endpoint, string? token, string workspace)
    {
        var configuration = typeof(ClientRestartTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepositoryLayout.Root, "tests", "CodexRuntime.Transport.Worker", "bin", configuration, "net10.0", "CodexRuntime.Transport.Worker.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build this test project (it builds the worker) first.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, endpoint, token ?? "-", workspace, "Tell me a long story." })
        {
            start.ArgumentList.Add(argument);
        }

        using var worker = Process.Start(start)!;
        var errors = worker.StandardError.ReadToEndAsync();
        string? threadId = null, turnId = null;
        using var deadline = new CancellationTokenSource(RealClient.Deadline);
        try
        {
            while (await worker.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith("THREAD ", StringComparison.Ordinal))
                {
                    threadId = line[7..];
                }
                else if (line.StartsWith("TURN ", StringComparison.Ordinal))
                {
                    turnId = line[5..];
                }
                else if (line == "DELTA")
                {
                    break;
                }
            }
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync(CancellationToken.None);
        }

        Assert.True(threadId is not null && turnId is not null, $"The worker did not reach its first delta: {await errors}");
        Assert.NotEqual(0, worker.ExitCode);
        return (threadId, turnId);
    }
}
