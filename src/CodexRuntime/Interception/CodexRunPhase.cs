using System.Text.Json.Serialization;

namespace CodexRuntime;

/// <summary>Where in a run an interceptor is called. Pre phases can change or block what follows; post phases observe.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexRunPhase>))]
public enum CodexRunPhase
{
    /// <summary>Before a one-off run (<c>CodexClient.RunAsync</c>, <c>Workflow.RunAsync</c>, <c>Codex.QuickRunAsync</c>) starts anything.</summary>
    PreRun,

    /// <summary>After a one-off run ended (its result or error is in the context).</summary>
    PostRun,

    /// <summary>Before a session's thread is started, resumed or forked.</summary>
    PreSessionStart,

    /// <summary>After a session's thread is open (its id is in the context).</summary>
    PostSessionStart,

    /// <summary>Before a turn is sent (every ask, and the turn of a one-off run).</summary>
    PreTurn,

    /// <summary>After a turn ended (its result or error is in the context).</summary>
    PostTurn,

    /// <summary>codex asks to run a command or apply a file change (an approval request); a block declines it.</summary>
    PreToolUse,

    /// <summary>A command or file-change item completed (exit code and output in the context).</summary>
    PostToolUse,
}
