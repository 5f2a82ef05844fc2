using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CodexRuntime.Tests.Shared;

/// <summary>
/// Every public enum of a package serializes as its name, whatever the caller's JSON options: in a minimal API's answer
/// (web defaults, reflection), a log, or a file. Each package's test project runs this on its own assembly.
/// </summary>
internal static class PublicEnums
{
    public static void AssertEachSerializesAsItsName(Assembly assembly)
    {
        // What a minimal API uses: the web defaults with the reflection resolver, no converter configured.
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        var enums = assembly.GetExportedTypes().Where(t => t.IsEnum).ToList();
        Assert.NotEmpty(enums);
        var numbers = new List<string>();
        foreach (var type in enums)
        {
            foreach (var value in Enum.GetValues(type))
            {
                string json;
                try
                {
                    json = JsonSerializer.Serialize(value, type, web);
                }
                catch (Exception ex) when (type.GetCustomAttribute<JsonConverterAttribute>() is not null)
                {
                    // A protocol enum's own converter refuses to write its Unknown value back: not a number either.
                    json = $"\"(refused: {ex.GetType().Name})\"";
                }

                if (!json.StartsWith('"'))
                {
                    numbers.Add($"{type.FullName}.{value} -> {json}");
                }
            }
        }

        Assert.True(numbers.Count == 0, "These public enums serialize as numbers; give each a [JsonConverter(typeof(JsonStringEnumConverter<T>))]:\n" + string.Join("\n", numbers));
    }
}
