namespace CodexRuntime.Diagnostics;

/// <summary>One of codex's own signals: a retried or final error, a warning, a config warning or a deprecation notice.</summary>
/// <param name="Kind">Which signal.</param>
/// <param name="Message">codex's text (its summary, for config warnings and deprecation notices).</param>
/// <param name="Details">More text, when codex gave some (an error's additional details are often the provider's own words).</param>
/// <param name="ThreadId">The thread it is about, when it names one.</param>
/// <param name="TurnId">The turn it is about, when it names one.</param>
/// <param name="ReceivedAt">When the runtime read it.</param>
public sealed record CodexNotice(CodexNoticeKind Kind, string Message, string? Details, string? ThreadId, string? TurnId, DateTimeOffset ReceivedAt);
