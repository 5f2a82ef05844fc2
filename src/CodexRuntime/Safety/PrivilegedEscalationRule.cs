using System.Text.Json;
using CodexRuntime.Protocol.Names;

namespace CodexRuntime.Safety;

/// <summary>
/// The safe-defaults rule every path to codex obeys: a sandbox other than read-only needs all three of an explicit
/// opt-in (<c>AllowPrivilegedEscalation</c>), an approval policy other than <c>never</c>, and an explicit scope (a
/// working directory or writable roots). Checked on <c>thread/start</c>, <c>thread/resume</c>, <c>thread/fork</c>,
/// <c>turn/start</c> and <c>command/exec</c>, before anything is sent.
/// </summary>
/// <remarks>
/// It runs once per outbound request, in the connection every request passes: typed params are read as the objects
/// the caller built (<see cref="Protocol.ThreadStartParams"/> and the others describe their sandbox, approval policy
/// and scope), raw calls as their JSON, so typed, raw and catalog calls are checked alike.
/// <c>command/exec</c> runs one command the caller chose and codex never asks an approval for it, so there the
/// approval condition is met by the call itself: it needs the opt-in and a scope.
/// The rule only judges; the callers above it (the connection, the client's profile check) throw
/// <c>CodexPrivilegedEscalationException</c>, so this bottom layer names no exception of the root namespace.
/// </remarks>
public static class PrivilegedEscalationRule
{
    /// <summary>The rule's name, as error messages and docs spell it.</summary>
    public const string Name = "privileged escalation";

    private static readonly HashSet<string> ThreadMethods = new(StringComparer.Ordinal) { CodexMethodNames.ThreadStart, CodexMethodNames.ThreadResume, CodexMethodNames.ThreadFork };

    /// <summary>True when <paramref name="method"/> is one the rule checks.</summary>
    /// <param name="method">A JSON-RPC method.</param>
    /// <returns>Whether the rule applies.</returns>
    public static bool Applies(string method) => ThreadMethods.Contains(method) || method is CodexMethodNames.TurnStart or CodexMethodNames.CommandExec;

    /// <summary>Lists what a request lacks to use a privileged sandbox; empty when it asks for none or meets the rule.</summary>
    /// <param name="method">The JSON-RPC method.</param>
    /// <param name="parameters">The params exactly as they would be sent.</param>
    /// <param name="optedIn">Whether the caller opted in to privileged escalation.</param>
    /// <returns>The unmet conditions, each with its fix.</returns>
    public static IReadOnlyList<string> FindViolations(string method, JsonElement parameters, bool optedIn) =>
        Check(method, Read(method, parameters), optedIn).Missing;

    /// <summary>
    /// The one check of an outbound request (the connection runs it for every request it sends, and throws when
    /// something is missing): typed params that describe themselves are read as objects; anything else as the JSON it
    /// becomes.
    /// </summary>
    internal static (string? Sandbox, IReadOnlyList<string> Missing) CheckOutbound(string method, object? parameters, Func<object?, JsonElement> toJson, bool optedIn)
    {
        if (!Applies(method) || parameters is null)
        {
            return (null, []);
        }

        var request = parameters switch
        {
            ISandboxRequestSource typed when typed.ToSandboxRequest() is { } view => view,
            JsonElement json => Read(method, json),
            _ => Read(method, toJson(parameters)),
        };
        return Check(method, request, optedIn);
    }

    /// <summary>The privileged sandbox the request asks for (null when none) and what it lacks for it.</summary>
    internal static (string? Sandbox, IReadOnlyList<string> Missing) Check(string method, SandboxRequest request, bool optedIn)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!Applies(method) || request.Sandbox is not { } sandbox || sandbox is "read-only" or "readOnly")
        {
            return (null, []);
        }

        var isThread = ThreadMethods.Contains(method);
        var missing = new List<string>();
        if (!optedIn)
        {
            missing.Add("no explicit opt-in: call RunProfile.AllowPrivilegedEscalation() (raw and AppServer calls: set CodexConnectionOptions.AllowPrivilegedEscalation = true)");
        }

        if (method != CodexMethodNames.CommandExec && request.Approval != ApprovalSetting.Asks)
        {
            missing.Add($"approval policy is {(request.Approval == ApprovalSetting.NotSet ? "not set" : "never")}: set it on the same request to on-request, on-failure or untrusted so codex asks before it escalates");
        }

        if (!request.HasScope)
        {
            missing.Add("no explicit scope: set cwd" + (isThread ? string.Empty : " or the sandbox policy's writableRoots"));
        }

        return (sandbox, missing);
    }

    private static SandboxRequest Read(string method, JsonElement parameters) =>
        Applies(method) ? SandboxRequest.FromJson(ThreadMethods.Contains(method), parameters) : SandboxRequest.None;
}
