namespace CodexRuntime.Transport;

/// <summary>How a transport ended.</summary>
/// <param name="ExitCode">The process exit code, or null when the transport is not a process or was closed by us before it exited.</param>
/// <param name="Description">A short description for error messages, e.g. "codex exited".</param>
public sealed record CodexTransportExit(int? ExitCode, string Description);
