using System.Text.Json.Serialization;

namespace CodexRuntime.Rpc;

/// <summary>How much a connection checks a request against the protocol catalog before sending it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexValidationMode>))]
public enum CodexValidationMode
{
    /// <summary>
    /// Default. Methods in the catalog are checked: experimental methods and fields need the opt-in, and methods newer
    /// than the connected codex are refused. Unknown methods are sent as they are.
    /// </summary>
    KnownMethods,

    /// <summary>Nothing is checked; codex decides.</summary>
    None,
}
