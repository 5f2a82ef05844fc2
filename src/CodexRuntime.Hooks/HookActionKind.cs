using System.Text.Json.Serialization;

namespace CodexRuntime.Hooks;

/// <summary>What a <see cref="HookAction"/> does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HookActionKind>))]
public enum HookActionKind
{
    /// <summary>The run goes on unchanged.</summary>
    Noop,

    /// <summary>The run goes on with a <see cref="HookPatch"/> applied.</summary>
    Mutate,

    /// <summary>The run stops (PreToolUse: the tool is declined and the turn goes on).</summary>
    Block,
}
