using System.Text.Json;

namespace CodexRuntime.Safety;

/// <summary>How a request sets its approval policy, as far as the privileged-escalation rule cares.</summary>
internal enum ApprovalSetting
{
    /// <summary>No approval policy on the request.</summary>
    NotSet,

    /// <summary><c>never</c>: codex would escalate without asking.</summary>
    Never,

    /// <summary>Any other policy: codex asks before it escalates.</summary>
    Asks,
}

/// <summary>
/// What the privileged-escalation rule reads of one request: the sandbox it asks for (its wire name; null for none), its
/// approval policy and whether it names a scope. Typed params describe themselves (<see cref="ISandboxRequestSource"/>);
/// raw JSON is read by <see cref="FromJson"/>.
/// </summary>
internal readonly record struct SandboxRequest(string? Sandbox, ApprovalSetting Approval, bool HasScope)
{
    /// <summary>A request that asks for no sandbox at all.</summary>
    public static SandboxRequest None => default;

    /// <summary>Reads a request as it goes on the wire (raw calls, and typed params of a type that does not describe itself).</summary>
    /// <param name="isThreadMethod">True for thread/start, thread/resume and thread/fork (sandbox mode), false for a sandbox policy.</param>
    /// <param name="parameters">The params object.</param>
    public static SandboxRequest FromJson(bool isThreadMethod, JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            return None;
        }

        var sandbox = isThreadMethod
            ? Text(Member(parameters, "sandbox")) ?? Text(ConfigMember(parameters, "sandbox_mode"))
            : Member(parameters, "sandboxPolicy") is { ValueKind: JsonValueKind.Object } policy ? Text(Member(policy, "type")) ?? "unrecognized" : null;
        var approval = (isThreadMethod ? Member(parameters, "approvalPolicy") ?? ConfigMember(parameters, "approval_policy") : Member(parameters, "approvalPolicy")) switch
        {
            null => ApprovalSetting.NotSet,
            { ValueKind: JsonValueKind.String } value when value.GetString() == "never" => ApprovalSetting.Never,
            _ => ApprovalSetting.Asks,
        };
        var hasScope = Text(Member(parameters, "cwd")) is { Length: > 0 }
            || (Member(parameters, "sandboxPolicy") is { ValueKind: JsonValueKind.Object } scoped
                && Member(scoped, "writableRoots") is { ValueKind: JsonValueKind.Array } roots
                && roots.GetArrayLength() > 0);
        return new SandboxRequest(sandbox, approval, hasScope);
    }

    /// <summary>True when <paramref name="extra"/> (a typed request's unknown members) sets something the rule reads, so the typed view is not the whole truth.</summary>
    public static bool Overrides(IDictionary<string, JsonElement>? extra) =>
        extra is { Count: > 0 } && (extra.ContainsKey("sandbox") || extra.ContainsKey("sandboxPolicy") || extra.ContainsKey("approvalPolicy") || extra.ContainsKey("cwd") || extra.ContainsKey("config"));

    /// <summary>The approval setting of a config override map (<c>approval_policy</c>), for thread requests.</summary>
    public static ApprovalSetting? ConfigApproval(IReadOnlyDictionary<string, JsonElement>? config) =>
        config is not null && config.TryGetValue("approval_policy", out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String && value.GetString() == "never" ? ApprovalSetting.Never : ApprovalSetting.Asks
            : null;

    /// <summary>The sandbox mode of a config override map (<c>sandbox_mode</c>), for thread requests.</summary>
    public static string? ConfigSandbox(IReadOnlyDictionary<string, JsonElement>? config) =>
        config is not null && config.TryGetValue("sandbox_mode", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement? ConfigMember(JsonElement parameters, string key) =>
        Member(parameters, "config") is { ValueKind: JsonValueKind.Object } config ? Member(config, key) : null;

    private static JsonElement? Member(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Text(JsonElement? element) => element is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
