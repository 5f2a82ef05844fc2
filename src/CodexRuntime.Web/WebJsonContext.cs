using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodexRuntime.Web;

/// <summary>The web adapter's JSON shapes (source-generated; web defaults: camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebApproval))]
[JsonSerializable(typeof(WebSessionInfo))]
[JsonSerializable(typeof(WebSessionState))]
[JsonSerializable(typeof(WebTurnStarted))]
[JsonSerializable(typeof(WebEvent))]
[JsonSerializable(typeof(WebSessionRequest))]
[JsonSerializable(typeof(WebTurnRequest))]
[JsonSerializable(typeof(WebApprovalAnswerRequest))]
internal sealed partial class WebJsonContext : JsonSerializerContext;
