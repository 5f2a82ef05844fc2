using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact.Tests.Support;

/// <summary>JSON for test messages (reflection-based JSON is off in test projects).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class Json : JsonSerializerContext;
