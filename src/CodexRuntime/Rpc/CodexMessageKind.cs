using System.Text.Json.Serialization;

namespace CodexRuntime.Rpc;

/// <summary>What an inbound message is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexMessageKind>))]
public enum CodexMessageKind
{
    /// <summary>A notification: a method without an id. Nothing is answered.</summary>
    Notification,

    /// <summary>A server request: a method with an id. It must be answered.</summary>
    ServerRequest,
}
