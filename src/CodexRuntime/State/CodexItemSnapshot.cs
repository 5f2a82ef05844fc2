using CodexRuntime.Protocol;

namespace CodexRuntime.State;

/// <summary>One item of a turn (agent message, command execution, file change, reasoning, ...) at the moment of a snapshot.</summary>
/// <param name="Id">The item id.</param>
/// <param name="Type">The item's <c>type</c> as codex names it, e.g. <c>agentMessage</c> or <c>commandExecution</c>; null if only deltas were seen.</param>
/// <param name="IsCompleted">True once <c>item/completed</c> arrived.</param>
/// <param name="Text">Agent message, reasoning or plan text: the deltas so far, replaced by the completed item's text.</param>
/// <param name="Output">Command or file-change output: the deltas so far, replaced by the completed item's aggregated output.</param>
/// <param name="Item">The item exactly as codex last described it (<c>item/started</c>, then <c>item/completed</c>).</param>
public sealed record CodexItemSnapshot(string Id, string? Type, bool IsCompleted, CodexBoundedText Text, CodexBoundedText Output, ThreadItem? Item);
