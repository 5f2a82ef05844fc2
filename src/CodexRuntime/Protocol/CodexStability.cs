using System.Text.Json.Serialization;

namespace CodexRuntime.Protocol;

/// <summary>Whether a method is part of codex's stable API or needs the experimental opt-in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexStability>))]
public enum CodexStability
{
    /// <summary>Stable: callable without opt-in.</summary>
    Stable,

    /// <summary>Experimental: codex rejects it (-32600) unless the client initialized with <c>experimentalApi</c>.</summary>
    Experimental,
}
