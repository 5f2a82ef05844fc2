using System.Text.Json.Serialization;

namespace CodexRuntime.Events;

/// <summary>What a message is. With <see cref="CodexDirection"/>: an inbound request is a server request, an outbound response is a reply to one.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexEnvelopeKind>))]
public enum CodexEnvelopeKind
{
    /// <summary>A request (has an id, expects a response).</summary>
    Request,

    /// <summary>A notification (no id, no response).</summary>
    Notification,

    /// <summary>A response: a result or an error.</summary>
    Response,

    /// <summary>
    /// Not a wire message: a runtime event such as <c>codexRuntime/restarted</c> (direction <see cref="CodexDirection.Local"/>),
    /// placed in the stream where it happened. Its JSON is <c>{"method":...,"params":{...}}</c>.
    /// </summary>
    Lifecycle,
}
