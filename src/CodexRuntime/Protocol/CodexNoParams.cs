namespace CodexRuntime.Protocol;

/// <summary>The params of a method that takes none; the request is sent without a <c>params</c> member.</summary>
public sealed class CodexNoParams
{
    /// <summary>The only value.</summary>
    public static CodexNoParams Value { get; } = new();

    private CodexNoParams()
    {
    }
}
