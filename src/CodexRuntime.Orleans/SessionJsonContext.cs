using System.Text.Json.Serialization;
using CodexRuntime.Web;

namespace CodexRuntime.Orleans;

/// <summary>The session state crosses silos as JSON: written on the session's silo, read on the caller's, by this assembly only.</summary>
[JsonSerializable(typeof(WebSessionState))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
