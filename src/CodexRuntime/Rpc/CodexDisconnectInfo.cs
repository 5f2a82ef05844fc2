namespace CodexRuntime.Rpc;

/// <summary>How the connection to codex ended.</summary>
/// <param name="Reason">Why it ended.</param>
/// <param name="ExitCode">The codex exit code, when the process had exited.</param>
/// <param name="StderrTail">The last lines codex wrote to stderr.</param>
/// <param name="Description">A one-line description for logs and errors.</param>
public sealed record CodexDisconnectInfo(CodexDisconnectReason Reason, int? ExitCode, string StderrTail, string Description);
