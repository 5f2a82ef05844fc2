using System.Text.Json.Serialization;
using CodexRuntime.Web;

namespace CodexRuntime.Orleans;

/// <summary>
/// The session state crosses silos as JSON (written on the session's silo, read on the caller's), and a session's turns
/// are kept in its record as JSON: by this assembly only.
/// </summary>
[JsonSerializable(typeof(WebSessionState))]
[JsonSerializable(typeof(WebTurnSummary[]))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
