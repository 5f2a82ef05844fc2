namespace CodexRuntime.Transport;

/// <summary>A located codex executable, ready to start.</summary>
/// <param name="ExecutablePath">Absolute path of the native executable that a process start can run directly.</param>
/// <param name="Source">Where the locator found it.</param>
/// <param name="RequestedPath">The path as given or found before npm resolution (a shim, a symlink or the executable itself).</param>
/// <param name="HelperDirectories">
/// Directories of helper tools that ship beside the native binary in an npm install (e.g. ripgrep). The npm
/// launcher puts them on <c>PATH</c>; <see cref="CodexProcessTransport"/> does the same.
/// </param>
public sealed record CodexBinary(
    string ExecutablePath,
    CodexBinarySource Source,
    string RequestedPath,
    IReadOnlyList<string> HelperDirectories);
