using System.Text;
using System.Text.Json;

namespace CodexRuntime.Rpc;

/// <summary>
/// Remembers the last few strings read from the wire, so the method name and thread/turn/item ids that repeat on every
/// line of a turn are allocated once, not once per line. Used only by the single reader loop: not thread-safe.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int Size = 32;
    private readonly byte[][] _keys = new byte[Size][];
    private readonly string[] _values = new string[Size];
    private int _next;

    /// <summary>The string value at the reader (which must be on a string token).</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > 128)
        {
            return reader.GetString()!;
        }

        var span = reader.ValueSpan;
        for (var i = 0; i < Size; i++)
        {
            if (_keys[i] is { } key && span.SequenceEqual(key))
            {
                return _values[i];
            }
        }

        var value = Encoding.UTF8.GetString(span);
        _keys[_next] = span.ToArray();
        _values[_next] = value;
        _next = (_next + 1) % Size;
        return value;
    }
}
