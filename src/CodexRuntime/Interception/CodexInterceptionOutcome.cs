using System.Text.Json.Serialization;

namespace CodexRuntime;

/// <summary>How one interceptor call went.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexInterceptionOutcome>))]
public enum CodexInterceptionOutcome
{
    /// <summary>It let the run go on unchanged (every post-phase call that returned).</summary>
    Continued,

    /// <summary>It changed what the run sends.</summary>
    Mutated,

    /// <summary>It stopped the run (or, in PreToolUse, declined the tool).</summary>
    Blocked,

    /// <summary>It threw; recorded, and the run went on as if it had continued.</summary>
    Failed,

    /// <summary>It did not answer within its deadline; recorded, and the run went on.</summary>
    TimedOut,
}
