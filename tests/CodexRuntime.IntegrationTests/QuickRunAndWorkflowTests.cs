using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>Layers 1 and 2 on the real binary: QuickRun owns a process for one prompt; a Workflow shares one across runs.</summary>
public sealed class QuickRunAndWorkflowTests
{
    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task QuickRun_returns_the_scripted_text_and_leaves_nothing_running(string version)
    {
        await using var sandbox = await CodexSandbox.CreateAsync(version, "never", [FakeModelResponse.StreamedText(["Quick", " and", " done."])]);
        var config = new ClientConfig { Runtime = { Process = sandbox.ProcessOptions() } };

        var result = await Codex.QuickRunAsync(sandbox.Workspace.FullName, "Say something quick.", null, config);

        Assert.Equal("Quick and done.", result.Text);
        Assert.Equal(TurnStatus.Completed, result.Status);
        Assert.False(string.IsNullOrEmpty(result.ThreadId));
        Assert.False(string.IsNullOrEmpty(result.TurnId));
        Assert.Contains(result.Items, item => item is AgentMessageThreadItem);
        Assert.NotNull(result.Usage);
        Assert.Single(sandbox.Model.ModelRequests);
        Assert.Contains("Say something quick.", sandbox.Model.ModelRequests[0].Body, StringComparison.Ordinal);
        // What FakeModelServer.When routes by: the real codex's request ends with the prompt as the last user message.
        Assert.Equal("Say something quick.", sandbox.Model.ModelRequests[0].LastUserText);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Workflow_runs_three_prompts_in_three_threads_on_one_process(string version)
    {
        await using var sandbox = await CodexSandbox.CreateAsync(version, "never",
            [FakeModelResponse.Text("one"), FakeModelResponse.Text("two"), FakeModelResponse.Text("three")]);
        var config = new WorkflowConfig(sandbox.Workspace.FullName) { Client = { Runtime = { Process = sandbox.ProcessOptions() } } };

        int processId;
        var results = new List<PromptRunResult>();
        await using (var workflow = await Workflow.ConnectAsync(config))
        {
            processId = workflow.Client.ProcessId!.Value;
            foreach (var prompt in new[] { "prompt-alpha", "prompt-bravo", "prompt-charlie" })
            {
                results.Add(await workflow.RunAsync(prompt));
                Assert.Equal(processId, workflow.Client.ProcessId);
            }

            // Each run archived its thread: nothing is left open on the client.
            Assert.Empty(workflow.Client.Sessions);
        }

        Assert.Equal(["one", "two", "three"], results.Select(r => r.Text));
        Assert.Equal(3, results.Select(r => r.ThreadId).Distinct().Count());
        Assert.False(ProcessProbe.IsRunning(processId));
        // Separate threads: the third model request knows nothing of the first exchange.
        Assert.DoesNotContain("prompt-alpha", sandbox.Model.ModelRequests[2].Body, StringComparison.Ordinal);
        Assert.Contains("prompt-charlie", sandbox.Model.ModelRequests[2].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuickRun_reports_a_process_that_is_not_codex_as_a_connect_failure()
    {
        var workspace = Directory.CreateTempSubdirectory("codex-it-");
        try
        {
            var config = new ClientConfig { Runtime = { Process = { ExecutablePath = "/bin/false" }, Connection = { RequestTimeout = TimeSpan.FromSeconds(5) } } };
            config.Runtime.Connection.InitializeTimeout = TimeSpan.FromSeconds(5);

            var error = await Assert.ThrowsAsync<CodexConnectException>(() => Codex.QuickRunAsync(workspace.FullName, "hello", null, config));

            Assert.DoesNotContain("hello", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task QuickRun_checks_its_input_before_starting_codex_and_reports_codex_dying_as_a_run_failure(string version)
    {
        await using var sandbox = await CodexSandbox.CreateAsync(version, "never", [FakeModelResponse.StreamedText(Enumerable.Range(0, 50).Select(i => $"w{i} "), TimeSpan.FromMilliseconds(100))]);
        var config = new ClientConfig { Runtime = { Process = sandbox.ProcessOptions() } };
        var privileged = new RunProfile { Sandbox = SandboxMode.DangerFullAccess, ApprovalPolicy = CodexApprovalPolicy.OnRequest };

        await Assert.ThrowsAsync<CodexPrivilegedEscalationException>(() => Codex.QuickRunAsync(sandbox.Workspace.FullName, "x", privileged, config));
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => Codex.QuickRunAsync(Path.Combine(sandbox.Workspace.FullName, "missing"), "x", null, config));
        Assert.Empty(sandbox.Model.Requests);

        // codex killed mid-turn: a run failure carrying the transport error.
        var run = Codex.QuickRunAsync(sandbox.Workspace.FullName, "a long answer please", null, config);
        await sandbox.Model.WaitForModelRequestAsync(1, RealClient.Deadline);
        var codexProcesses = CodexProcesses(sandbox);
        Assert.NotEmpty(codexProcesses);
        foreach (var pid in codexProcesses)
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // A child that ended with its parent.
            }
        }

        var error = await Assert.ThrowsAsync<CodexRunException>(() => run);
        Assert.IsType<CodexTransportClosedException>(error.InnerException);
    }

    /// <summary>
    /// The running codex processes of one sandbox (QuickRun does not expose its client): found by their CODEX_HOME, so
    /// tests running in parallel are never touched. Linux only (reads /proc).
    /// </summary>
    private static int[] CodexProcesses(CodexSandbox sandbox)
    {
        var marker = System.Text.Encoding.UTF8.GetBytes($"CODEX_HOME={sandbox.Home.Path}\0");
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var environment = File.ReadAllBytes(Path.Combine(directory, "environ"));
                if (environment.AsSpan().IndexOf(marker) >= 0 && ProcessProbe.IsRunning(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours.
            }
        }

        return [.. found];
    }
}
