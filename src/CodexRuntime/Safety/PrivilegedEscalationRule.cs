using System.Text.Json;
using CodexRuntime.Errors;

namespace CodexRuntime.Safety;

/// <summary>
/// The safe-defaults rule every path to codex obeys: a sandbox other than read-only needs all three of an explicit
/// opt-in (<c>AllowPrivilegedEscalation</c>), an approval policy other than <c>never</c>, and an explicit scope (a
/// working directory or writable roots). Checked on <c>thread/start</c>, <c>thread/resume</c>, <c>thread/fork</c>,
/// <c>turn/start</c> and <c>command/exec</c>, before anything is sent.
/// </summary>
/// <remarks>
/// The rule reads the request as it will go on the wire, so typed, raw and catalog calls are checked alike.
/// <c>command/exec</c> runs one command the caller chose and codex never asks an approval for it, so there the
/// approval condition is met by the call itself: it needs the opt-in and a scope.
/// </remarks>
public static class PrivilegedEscalationRule
{
    /// <summary>The rule's name, as error messages and docs spell it.</summary>
    public const string Name = "privileged escalation";

    private static readonly HashSet<string> ThreadMethods = new(StringComparer.Ordinal) { "thread/start", "thread/resume", "thread/fork" };

    /// <summary>True when <paramref name="method"/> is one the rule checks.</summary>
    /// <param name="method">A JSON-RPC method.</param>
    /// <returns>Whether the rule applies.</returns>
    public static bool Applies(string method) => ThreadMethods.Contains(method) || method is "turn/start" or "command/exec";

    /// <summary>Lists what a request lacks to use a privileged sandbox; empty when it asks for none or meets the rule.</summary>
    /// <param name="method">The JSON-RPC method.</param>
    /// <param name="parameters">The params exactly as they would be sent.</param>
    /// <param name="optedIn">Whether the caller opted in to privileged escalation.</param>
    /// <returns>The unmet conditions, each with its fix.</returns>
    public static IReadOnlyList<string> FindViolations(string method, JsonElement parameters, bool optedIn) =>
        Check(method, parameters, optedIn).Missing;

    /// <summary>Throws when the request breaks the rule.</summary>
    /// <param name="method">The JSON-RPC method.</param>
    /// <param name="parameters">The params exactly as they would be sent.</param>
    /// <param name="optedIn">Whether the caller opted in to privileged escalation.</param>
    /// <exception cref="CodexPrivilegedEscalationException">The request asks for a privileged sandbox without meeting the rule.</exception>
    public static void Enforce(string method, JsonElement parameters, bool optedIn)
    {
        var (sandbox, missing) = Check(method, parameters, optedIn);
        if (missing.Count > 0)
        {
            throw new CodexPrivilegedEscalationException(method, sandbox!, missing);
        }
    }

    /// <summary>Checks typed params before anything is started or sent (sessions check before the process starts).</summary>
    internal static void Enforce<TParams>(string method, TParams parameters, bool optedIn) =>
        Enforce(method, JsonSerializer.SerializeToElement(parameters, Serialization.CodexJsonContext.WireTypeInfo<TParams>()), optedIn);

    /// <summary>The privileged sandbox the request asks for (null when none) and what it lacks for it.</summary>
    private static (string? Sandbox, IReadOnlyList<string> Missing) Check(string method, JsonElement parameters, bool optedIn)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!Applies(method) || parameters.ValueKind != JsonValueKind.Object)
        {
            return (null, []);
        }

        var isThread = ThreadMethods.Contains(method);
        var sandbox = isThread ? ThreadSandbox(parameters) : PolicySandbox(parameters);
        if (sandbox is null || IsReadOnly(sandbox))
        {
            return (null, []);
        }

        var missing = new List<string>();
        if (!optedIn)
        {
            missing.Add("no explicit opt-in: call RunProfile.AllowPrivilegedEscalation() (raw and AppServer calls: set CodexConnectionOptions.AllowPrivilegedEscalation = true)");
        }

        if (method != "command/exec")
        {
            var approval = isThread ? ThreadApproval(parameters) : Member(parameters, "approvalPolicy");
            if (approval is null || (approval.Value.ValueKind == JsonValueKind.String && approval.Value.GetString() == "never"))
            {
                missing.Add($"approval policy is {(approval is null ? "not set" : "never")}: set it on the same request to on-request, on-failure or untrusted so codex asks before it escalates");
            }
        }

        if (!HasScope(parameters))
        {
            missing.Add("no explicit scope: set cwd" + (isThread ? string.Empty : " or the sandbox policy's writableRoots"));
        }

        return (sandbox, missing);
    }

    private static string? ThreadSandbox(JsonElement parameters) =>
        Text(Member(parameters, "sandbox")) ?? Text(ConfigMember(parameters, "sandbox_mode"));

    private static JsonElement? ThreadApproval(JsonElement parameters) =>
        Member(parameters, "approvalPolicy") ?? ConfigMember(parameters, "approval_policy");

    private static string? PolicySandbox(JsonElement parameters) =>
        Member(parameters, "sandboxPolicy") is { ValueKind: JsonValueKind.Object } policy
            ? Text(Member(policy, "type")) ?? "unrecognized"
            : null;

    private static bool IsReadOnly(string sandbox) => sandbox is "read-only" or "readOnly";

    private static bool HasScope(JsonElement parameters)
    {
        if (Text(Member(parameters, "cwd")) is { Length: > 0 })
        {
            return true;
        }

        return Member(parameters, "sandboxPolicy") is { ValueKind: JsonValueKind.Object } policy
            && Member(policy, "writableRoots") is { ValueKind: JsonValueKind.Array } roots
            && roots.GetArrayLength() > 0;
    }

    private static JsonElement? ConfigMember(JsonElement parameters, string key) =>
        Member(parameters, "config") is { ValueKind: JsonValueKind.Object } config ? Member(config, key) : null;

    private static JsonElement? Member(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Text(JsonElement? element) => element is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
