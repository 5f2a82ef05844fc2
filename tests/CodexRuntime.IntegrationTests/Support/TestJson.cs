using System.Text.Json.Serialization;

namespace CodexRuntime.IntegrationTests.Support;

[JsonSerializable(typeof(string))]
internal sealed partial class TestJson : JsonSerializerContext;
