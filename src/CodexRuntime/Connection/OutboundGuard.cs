using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using CodexRuntime.Safety;

namespace CodexRuntime;

/// <summary>
/// What every outbound request passes before it is sent: the catalog rules (experimental opt-in for the method and for
/// each experimental field that is set, availability in the connected codex) and the privileged-escalation rule. One
/// class on the one send path, so the typed helpers, <c>CallAsync</c> and the raw escape hatch cannot differ.
/// </summary>
internal sealed class OutboundGuard(CodexConnectionOptions options, JsonSerializerOptions serializerOptions)
{
    /// <summary>
    /// The field-level rule, for typed params only (raw JSON carries no field metadata): an experimental field that is
    /// set needs the experimental opt-in.
    /// </summary>
    public void CheckFields(CodexMethod method, object parameters)
    {
        if (options.ValidationMode != CodexValidationMode.KnownMethods || options.ExperimentalApi || parameters is not ICodexProtocolObject payload)
        {
            return;
        }

        var fields = new List<string>();
        payload.CollectExperimentalFields(fields, string.Empty);
        if (fields.Count > 0)
        {
            throw new CodexExperimentalApiRequiredException(method.Name, fields);
        }
    }

    /// <summary>The method-level rules, on every request path, then the safety rule.</summary>
    /// <param name="method">The JSON-RPC method.</param>
    /// <param name="argument">The params as they will be serialized.</param>
    /// <param name="server">The connected codex; null during the handshake (nothing to check availability against yet).</param>
    /// <param name="privilegedEscalation">The caller's own opt-in (a session's <c>RunProfile</c>).</param>
    public void Check(string method, object? argument, CodexServerInfo? server, bool privilegedEscalation)
    {
        if (options.ValidationMode == CodexValidationMode.KnownMethods && CodexMethods.Find(method) is { } known)
        {
            if (known.Stability == CodexStability.Experimental && !options.ExperimentalApi)
            {
                throw new CodexExperimentalApiRequiredException(known.Name, []);
            }

            if (server?.Version is { } version && version < known.Since)
            {
                throw new CodexMethodUnavailableException(known.Name, version.ToString(), known.Since.ToString());
            }
        }

        // The safe-defaults rule is not a contract check: ValidationMode.None does not turn it off.
        CodexPrivilegedEscalationException.ThrowIfRefused(method, PrivilegedEscalationRule.CheckOutbound(method, argument, AsWireJson, options.AllowPrivilegedEscalation || privilegedEscalation));
    }

    /// <summary>Params of a type that cannot describe itself to the safety rule, as they will go on the wire.</summary>
    private JsonElement AsWireJson(object? argument) =>
        // Through the options' resolver (CodexJsonContext plus the user's resolver): no reflection, trim/AOT safe.
        argument is null ? default : JsonSerializer.SerializeToElement(argument, serializerOptions.GetTypeInfo(argument.GetType()));
}
