using System.Text.Json;
using CodexRuntime.Protocol;

namespace CodexRuntime.Rpc;

// The checks every outbound request passes before it is sent (the catalog rules; the safety rule runs in InvokeAsync).
public sealed partial class CodexConnection
{
    /// <summary>Params of a type that cannot describe itself to the safety rule, as they will go on the wire.</summary>
    private JsonElement AsWireJson(object? argument) =>
        // Through the options' resolver (CodexJsonContext plus the user's resolver): no reflection, trim/AOT safe.
        argument is null ? default : JsonSerializer.SerializeToElement(argument, _serializerOptions.GetTypeInfo(argument.GetType()));

    private void ValidateMethod(CodexMethod method)
    {
        if (method.Stability == CodexStability.Experimental && !_options.ExperimentalApi)
        {
            throw new CodexExperimentalApiRequiredException(method.Name, []);
        }

        if (_serverInfo?.Version is { } version && version < method.Since)
        {
            throw new CodexMethodUnavailableException(method.Name, version.ToString(), method.Since.ToString());
        }
    }
}
