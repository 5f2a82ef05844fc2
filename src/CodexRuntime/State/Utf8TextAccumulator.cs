using System.Text;

namespace CodexRuntime.State;

/// <summary>
/// Appends UTF-8 text up to a byte limit; past it, only the total is counted. The kept text ends on a character
/// boundary, so it always decodes cleanly. Not thread-safe (the projection's lock guards it).
/// </summary>
internal sealed class Utf8TextAccumulator(int limit)
{
    private byte[] _buffer = [];
    private int _length;
    private long _total;
    private bool _truncated;
    private CodexBoundedText? _snapshot;

    public void Append(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return;
        }

        _snapshot = null;
        _total += utf8.Length;
        if (_truncated)
        {
            return;
        }

        var room = limit - _length;
        var take = Math.Min(utf8.Length, room);
        if (_length + take > _buffer.Length)
        {
            // Grow geometrically but never past the limit: a 1 MiB cap costs 1 MiB at most.
            Array.Resize(ref _buffer, (int)Math.Min(limit, Math.Max(_length + take, Math.Max(256L, _buffer.Length * 2L))));
        }

        utf8[..take].CopyTo(_buffer.AsSpan(_length));
        _length += take;
        if (take < utf8.Length)
        {
            // Full: drop a character the cut would split, even one that began in an earlier append.
            _truncated = true;
            _length = CompletePrefix(_buffer.AsSpan(0, _length));
        }
    }

    /// <summary>Replaces everything with <paramref name="text"/> (codex's final, authoritative value).</summary>
    public void Replace(string text)
    {
        _length = 0;
        _total = 0;
        _truncated = false;
        _snapshot = null;
        Append(Encoding.UTF8.GetBytes(text));
    }

    public CodexBoundedText Snapshot() =>
        // Appends normally carry whole strings; decoding only complete characters keeps a snapshot clean even if one did not.
        _snapshot ??= _total == 0 ? CodexBoundedText.Empty : new CodexBoundedText(Encoding.UTF8.GetString(_buffer, 0, CompletePrefix(_buffer.AsSpan(0, _length))), _total, _truncated);

    /// <summary>The length of the longest prefix of <paramref name="utf8"/> that ends on a character boundary (drops an incomplete last character).</summary>
    internal static int CompletePrefix(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return 0;
        }

        // Find the first byte of the last character: at most three continuation bytes (10xxxxxx) precede it.
        var start = utf8.Length - 1;
        while (start > 0 && utf8.Length - start < 4 && (utf8[start] & 0xC0) == 0x80)
        {
            start--;
        }

        var lead = utf8[start];
        var needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return start + needed <= utf8.Length ? utf8.Length : start;
    }
}
