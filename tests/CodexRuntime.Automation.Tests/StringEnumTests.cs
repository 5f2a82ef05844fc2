using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Automation.Tests;

/// <summary>The package's public enums serialize as names in any caller's JSON (a minimal API answered <c>"state":0</c> before).</summary>
public sealed class StringEnumTests
{
    [Fact]
    public void Every_public_enum_serializes_as_its_name() => PublicEnums.AssertEachSerializesAsItsName(typeof(CodexRuntime.Automation.AutomationState).Assembly);

    [Fact]
    public void A_status_in_a_minimal_api_answer_names_its_state()
    {
        // What a minimal API returning the status writes: web defaults, reflection, no converter configured.
        var web = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
        var status = new AutomationStatus("nightly", "thread-1", 2, null, null, null, AutomationState.Paused, null);

        var json = System.Text.Json.JsonSerializer.Serialize(status, web);

        Assert.Contains("\"state\":\"Paused\"", json, StringComparison.Ordinal);
    }
}
