namespace CodexRuntime.Rpc;

/// <summary>
/// Who the client is, sent in <c>initialize</c>. codex puts <see cref="Name"/> and <see cref="Version"/> into the
/// user agent of its model requests.
/// </summary>
/// <param name="Name">A short client name without spaces.</param>
/// <param name="Version">The client version.</param>
/// <param name="Title">An optional human-readable title.</param>
public sealed record CodexClientInfo(string Name, string Version, string? Title = null)
{
    /// <summary>The default identity: this library and its version.</summary>
    public static CodexClientInfo Default { get; } = new(
        "codex_runtime_dotnet",
        typeof(CodexClientInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        "CodexRuntime for .NET");
}
