namespace CodexRuntime.State;

/// <summary>Text accumulated up to a size limit (see <see cref="CodexStateOptions.MaxItemTextBytes"/>).</summary>
/// <param name="Value">The text kept: all of it, or its beginning cut on a UTF-8 character boundary.</param>
/// <param name="TotalBytes">How many UTF-8 bytes arrived in all, kept or not.</param>
/// <param name="IsTruncated">True when <paramref name="Value"/> is only the beginning.</param>
public sealed record CodexBoundedText(string Value, long TotalBytes, bool IsTruncated)
{
    /// <summary>No text.</summary>
    public static CodexBoundedText Empty { get; } = new(string.Empty, 0, false);

    /// <inheritdoc />
    public override string ToString() => Value;
}
