namespace CodexRuntime.Web;

/// <summary>
/// What the server decides for every web session: where codex works, how it runs (sandbox, approval policy), what a
/// browser may choose (models, efforts, attachments) and the limits. Nothing here can be set from a request.
/// </summary>
public sealed class WebAdapterOptions
{
    /// <summary>The folder every session's codex works in. Required.</summary>
    public string Cwd { get; set; } = string.Empty;

    /// <summary>
    /// How sessions run: sandbox, approval policy, timeout, default model and effort. Approvals reach the session's
    /// approval subscribers when its <see cref="RunProfile.ApprovalPolicy"/> lets codex ask. The privileged-escalation
    /// rule applies to it as everywhere.
    /// </summary>
    public RunProfile Profile { get; set; } = new() { ApprovalPolicy = CodexApprovalPolicy.OnRequest };

    /// <summary>Models a session may ask for; empty (the default) means the profile's model only.</summary>
    public IList<string> AllowedModels { get; } = new List<string>();

    /// <summary>Efforts a turn may ask for.</summary>
    public IList<string> AllowedEfforts { get; } = new List<string> { "low", "medium", "high" };

    /// <summary>Whether a turn may carry image attachments (as <c>data:</c> URLs); off by default.</summary>
    public bool AllowImageAttachments { get; set; }

    /// <summary>Largest prompt text in UTF-8 bytes (32 KiB by default); a larger one is refused (HTTP 413).</summary>
    public int MaxPromptBytes { get; set; } = 32 * 1024;

    /// <summary>Open sessions per tenant (10 by default); one more is refused (HTTP 429).</summary>
    public int MaxSessionsPerTenant { get; set; } = 10;

    /// <summary>Turns running at once over all tenants (20 by default); one more is refused (HTTP 429).</summary>
    public int MaxConcurrentTurns { get; set; } = 20;

    /// <summary>
    /// Turns running at once for one tenant (none by default: only <see cref="MaxConcurrentTurns"/> applies); one more
    /// is refused (HTTP 429 with Retry-After), so one tenant cannot take every turn slot.
    /// </summary>
    public int? MaxConcurrentTurnsPerTenant { get; set; }

    /// <summary>
    /// How long an approval waits for a browser's answer before it is answered by the runtime's deadline policy
    /// (<c>CodexServerRequestOptions.DeadlinePolicy</c>, decline by default) and resolved as <c>expired</c>. Null (the
    /// default) means the runtime's own deadline, <c>CodexServerRequestOptions.Deadline</c> (30 s by default); a value
    /// must be positive and at most that deadline (the runtime answers at its deadline anyway).
    /// </summary>
    public TimeSpan? ApprovalTimeout { get; set; }

    /// <summary>
    /// The most events kept per session for reconnects (<c>Last-Event-ID</c>) and for clients that fall behind;
    /// 100,000 by default. The log keeps the newest events within both this and <see cref="ReplayBufferBytes"/>; a
    /// client whose next event is no longer kept gets <c>reset</c> (reload the state).
    /// </summary>
    public int ReplayBufferSize { get; set; } = 100_000;

    /// <summary>
    /// The most bytes of events (their SSE frames, UTF-8) kept per session; 4 MiB by default (about 50,000 text deltas,
    /// several seconds of the fastest turn: a client that keeps up is never reset). The events themselves take about
    /// three times this in memory (the JSON text besides the frame).
    /// </summary>
    public long ReplayBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Unanswered approvals kept per session until a subscriber answers (100 by default); more are answered by the profile's policy.</summary>
    public int MaxPendingApprovals { get; set; } = 100;

    /// <summary>
    /// The server-request kinds besides command and file-change approvals that reach a session's approval subscribers:
    /// <c>permissions</c>, <c>userInput</c>, <c>mcpElicitation</c>, <c>dynamicToolCall</c> (all by default). They come
    /// on the session's running turn, in wire order with its events (each session's profile gets the matching
    /// <see cref="RunProfile.TurnServerRequests"/>); one that comes while no turn runs, or a kind removed here, is
    /// answered by the runtime's own streams, handlers or policy (e.g. your own dynamic tool handler). Auth token
    /// refreshes are account-wide and never reach a browser: the runtime's handler or policy answers them.
    /// </summary>
    public ISet<string> ClientAnsweredRequests { get; } = new HashSet<string>(Sessions.WebApprovalKinds.Other.Select(k => k.Name), StringComparer.Ordinal);

    /// <summary>How often an idle event stream sends a heartbeat (15 s by default).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a client should wait before retrying a refused request (HTTP 429 Retry-After); 5 s by default.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks the options; each problem names the setting and the fix.</summary>
    /// <returns>The problems; empty when usable.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Cwd) || !Directory.Exists(Cwd))
        {
            problems.Add($"WebAdapterOptions.Cwd '{Cwd}' is not an existing folder; set it to the folder codex works in.");
        }

        if (Profile is null)
        {
            problems.Add("WebAdapterOptions.Profile is null; set a RunProfile (the default asks approvals on request).");
        }
        else
        {
            problems.AddRange(Profile.Validate().Select(problem => "WebAdapterOptions.Profile: " + problem));
        }

        foreach (var (name, value) in new[] { (nameof(MaxPromptBytes), MaxPromptBytes), (nameof(MaxSessionsPerTenant), MaxSessionsPerTenant), (nameof(MaxConcurrentTurns), MaxConcurrentTurns), (nameof(ReplayBufferSize), ReplayBufferSize), (nameof(MaxPendingApprovals), MaxPendingApprovals) })
        {
            if (value <= 0)
            {
                problems.Add($"WebAdapterOptions.{name} is {value}; use a positive number.");
            }
        }

        if (MaxConcurrentTurnsPerTenant is <= 0)
        {
            problems.Add($"WebAdapterOptions.MaxConcurrentTurnsPerTenant is {MaxConcurrentTurnsPerTenant}; use a positive number, or null for no per-tenant limit.");
        }

        if (ApprovalTimeout is { } approvalTimeout && approvalTimeout <= TimeSpan.Zero)
        {
            problems.Add($"WebAdapterOptions.ApprovalTimeout is {approvalTimeout}; use a positive time, or null for the runtime's deadline (30 s by default).");
        }

        foreach (var kind in ClientAnsweredRequests.Where(k => !Sessions.WebApprovalKinds.Other.Any(s => s.Name == k)))
        {
            problems.Add($"WebAdapterOptions.ClientAnsweredRequests has '{kind}', which is not a kind a client can answer; use {string.Join(", ", Sessions.WebApprovalKinds.Other.Select(s => s.Name))}.");
        }

        if (ReplayBufferBytes <= 0)
        {
            problems.Add($"WebAdapterOptions.ReplayBufferBytes is {ReplayBufferBytes}; use a positive number (4 MiB by default).");
        }

        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            problems.Add("WebAdapterOptions.HeartbeatInterval must be positive (15 s by default).");
        }

        return problems;
    }
}
