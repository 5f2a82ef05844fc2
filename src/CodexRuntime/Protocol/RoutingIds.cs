namespace CodexRuntime.Protocol;

/// <summary>
/// The thread, turn and item a message is about, read from its params during classification, and where the string
/// <c>params.delta</c> sits in the line (streamed text: the state projection appends it without parsing the line again).
/// </summary>
internal record struct RoutingIds(string? ThreadId, string? TurnId, string? ItemId)
{
    /// <summary>Byte offset of <c>params.delta</c>'s text (inside the quotes); 0 when there is none.</summary>
    public int DeltaStart { get; set; }

    /// <summary>Length in bytes of <c>params.delta</c>'s text as written (escaped).</summary>
    public int DeltaLength { get; set; }

    /// <summary>True when the delta text contains escapes and must be unescaped before use.</summary>
    public bool DeltaEscaped { get; set; }

    /// <summary>The <c>type</c> of a nested <c>params.item</c> object (item/started, item/completed), if any.</summary>
    public string? ItemType { get; set; }
}
