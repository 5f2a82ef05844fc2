using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodexRuntime.Protocol;

/// <summary>The id of a JSON-RPC request: a number or a string, kept exactly as the peer sent it.</summary>
[JsonConverter(typeof(CodexRequestIdJsonConverter))]
public readonly record struct CodexRequestId
{
    private CodexRequestId(long? number, string? text)
    {
        Number = number;
        String = text;
    }

    /// <summary>The numeric id, when the id is a number.</summary>
    public long? Number { get; }

    /// <summary>The string id, when the id is a string.</summary>
    public string? String { get; }

    /// <summary>Creates a numeric id.</summary>
    /// <param name="number">The id.</param>
    /// <returns>The id.</returns>
    public static CodexRequestId FromNumber(long number) => new(number, null);

    /// <summary>Creates a string id.</summary>
    /// <param name="text">The id.</param>
    /// <returns>The id.</returns>
    public static CodexRequestId FromString(string text) => new(null, text ?? throw new ArgumentNullException(nameof(text)));

    /// <summary>Writes the id as a JSON value.</summary>
    /// <param name="writer">The writer.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Number is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(String);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? $"\"{String}\"";
}
