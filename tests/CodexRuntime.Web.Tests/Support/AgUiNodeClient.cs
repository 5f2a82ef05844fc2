using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Web.Tests.Support;

/// <summary>
/// The OFFICIAL AG-UI client (@ag-ui/client 1.0.0's <c>HttpAgent</c>, run by node) as a test harness: one call is
/// one AG-UI run against a URL, and the answer is every event the client received, checked against @ag-ui/core's own
/// schemas and the protocol's order rules.
/// </summary>
/// <remarks>
/// How tests use it:
/// <code>
/// var input = AgUiNodeClient.Input(threadId: "t-1", runId: "r-1", userText: "Say hi");
/// var run = await AgUiNodeClient.RunAsync(new Uri(host.BaseAddress, "/agui"), input,
///     headers: new Dictionary&lt;string, string&gt; { ["X-Tenant"] = "tenant-a" });
/// run.AssertValid();                                  // no schema/order violation, no client error
/// Assert.Equal("hi", run.Text);                       // the TEXT_MESSAGE_CONTENT deltas joined
/// var interrupt = Assert.Single(run.Interrupts);      // RUN_FINISHED outcome "interrupt"
/// var next = AgUiNodeClient.Input("t-1", "r-2", userText: null,
///     resume: [AgUiNodeClient.Resume(interrupt.GetProperty("id").GetString()!, new JsonObject { ["decision"] = "accept" })]);
/// </code>
/// The first call installs the client (build/install-agui-client.sh: npm ci into /.agui-client, a no-op when it is
/// there). The node script is AGUI/agui-run.mjs, copied beside the test assembly. Every run has a deadline: past it the
/// client aborts and reports what it had; past the deadline plus a margin node's process tree is killed and the test
/// fails. A non-2xx answer is not an exception here: it is the run's <see cref="AgUiRun.Error"/> (the client's message
/// names the status), so a test can assert a refusal too. Run it against the real server for the real-server tests;
/// AgUiHarnessTests only prove the harness itself can fail.
/// </remarks>
internal static class AgUiNodeClient
{
    /// <summary>How long one run may take by default (real codex turns over the FakeModelServer end well within it).</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan InstallDeadline = TimeSpan.FromMinutes(10);

    // The client's own abort comes first, so a slow run still yields its events; the kill is the backstop.
    private static readonly TimeSpan KillMargin = TimeSpan.FromSeconds(15);

    private static readonly Lazy<Task<string>> Installed = new(InstallAsync);

    /// <summary>The folder holding node_modules/@ag-ui (installed on first use).</summary>
    public static Task<string> ClientRootAsync() => Installed.Value;

    /// <summary>Runs one AG-UI run with the official <c>HttpAgent</c>.</summary>
    /// <param name="url">The AG-UI endpoint (the POST target).</param>
    /// <param name="input">The RunAgentInput: threadId, runId, messages, and optionally tools, context, state, forwardedProps, resume.</param>
    /// <param name="headers">Request headers (the client adds Content-Type and Accept itself).</param>
    /// <param name="deadline">How long the run may take; <see cref="DefaultDeadline"/> when null.</param>
    public static async Task<AgUiRun> RunAsync(Uri url, JsonObject input, IReadOnlyDictionary<string, string>? headers = null, TimeSpan? deadline = null)
    {
        var root = await ClientRootAsync();
        var runDeadline = deadline ?? DefaultDeadline;
        var start = new ProcessStartInfo("node");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AGUI", "agui-run.mjs"));
        start.ArgumentList.Add("--url");
        start.ArgumentList.Add(url.ToString());
        start.ArgumentList.Add("--timeout-ms");
        start.ArgumentList.Add(((long)runDeadline.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            start.ArgumentList.Add("--header");
            start.ArgumentList.Add($"{name}: {value}");
        }

        start.Environment["AGUI_CLIENT_ROOT"] = root;
        var outcome = await DeadlineProcess.RunAsync(start, input.ToJsonString(), runDeadline + KillMargin);
        if (outcome.ExitCode != 0)
        {
            throw new InvalidOperationException($"agui-run.mjs exited with {outcome.ExitCode}: {outcome.Stderr}");
        }

        return AgUiRun.Parse(outcome.Stdout, outcome.Stderr);
    }

    /// <summary>A RunAgentInput with one new user message (none when <paramref name="userText"/> is null) and resume entries.</summary>
    public static JsonObject Input(string threadId, string runId, string? userText, params JsonObject[] resume)
    {
        var messages = new JsonArray();
        if (userText is not null)
        {
            messages.Add(new JsonObject { ["id"] = $"user-{runId}", ["role"] = "user", ["content"] = userText });
        }

        var input = new JsonObject { ["threadId"] = threadId, ["runId"] = runId, ["messages"] = messages };
        if (resume.Length > 0)
        {
            input["resume"] = new JsonArray([.. resume]);
        }

        return input;
    }

    /// <summary>A resume entry answering one interrupt (status "resolved", or "cancelled" when <paramref name="payload"/> is null).</summary>
    public static JsonObject Resume(string interruptId, JsonNode? payload)
    {
        var entry = new JsonObject { ["interruptId"] = interruptId, ["status"] = payload is null ? "cancelled" : "resolved" };
        if (payload is not null)
        {
            entry["payload"] = payload;
        }

        return entry;
    }

    private static async Task<string> InstallAsync()
    {
        var start = new ProcessStartInfo("bash");
        start.ArgumentList.Add(Path.Combine(RepositoryLayout.Root, "build", "install-agui-client.sh"));
        var outcome = await DeadlineProcess.RunAsync(start, stdin: null, InstallDeadline);
        var root = outcome.Stdout.Trim();
        if (outcome.ExitCode != 0 || !Directory.Exists(Path.Combine(root, "node_modules", "@ag-ui", "client")))
        {
            throw new InvalidOperationException($"build/install-agui-client.sh failed (exit {outcome.ExitCode}): {outcome.Stderr}");
        }

        return root;
    }
}
