using CodexRuntime.Protocol;

namespace CodexRuntime.Rpc;

/// <summary>What the server said about itself in the <c>initialize</c> response.</summary>
/// <param name="UserAgent">The user agent; it holds the server version after the first '/'.</param>
/// <param name="Version">The version read from <paramref name="UserAgent"/>, or null when it could not be read.</param>
/// <param name="CodexHome">The server's CODEX_HOME (0.169.0 and later; null on older versions).</param>
/// <param name="PlatformFamily">e.g. <c>unix</c> (newer versions only).</param>
/// <param name="PlatformOs">e.g. <c>linux</c> (newer versions only).</param>
public sealed record CodexServerInfo(
    string UserAgent,
    CodexVersion? Version,
    string? CodexHome,
    string? PlatformFamily,
    string? PlatformOs)
{
    /// <summary>
    /// True when the connected codex is newer than the release this library's typed protocol was generated from
    /// (<see cref="CodexProtocolVersions.Pinned"/>): it works, but methods, fields and cases it added are only visible
    /// as raw JSON (<c>AdditionalProperties</c>, <c>Unrecognized</c>) until the library is updated.
    /// </summary>
    public bool IsNewerThanPinned => Version is { } version && version > CodexProtocolVersions.Pinned;
}
