// The root namespace: internal registration plumbing of the root layer (it binds ClientConfig and builds CodexClient);
// the file stays in Hosting/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>How a client's options name maps to its configuration section and to words in messages.</summary>
internal static class CodexClientNames
{
    /// <summary>The section of the default client; named clients sit under <c>CodexRuntime:Clients:&lt;name&gt;</c>.</summary>
    public const string RootSection = "CodexRuntime";

    public static bool IsDefault(string name) => name.Length == 0;

    public static string SectionPath(string name) =>
        IsDefault(name) ? RootSection : $"{RootSection}:Clients:{name}";

    /// <summary>E.g. <c>codex client 'reviewer' (configuration section 'CodexRuntime:Clients:reviewer')</c>.</summary>
    public static string Describe(string name) =>
        $"{(IsDefault(name) ? "the default codex client" : $"codex client '{name}'")} (configuration section '{SectionPath(name)}')";

    /// <summary>The name in log messages.</summary>
    public static string ForLog(string name) => IsDefault(name) ? "(default)" : name;
}
