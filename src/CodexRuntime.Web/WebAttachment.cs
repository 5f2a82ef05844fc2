namespace CodexRuntime.Web;

/// <summary>An image attached to a turn (schema of <see cref="WebTurnRequest.Attachments"/>).</summary>
/// <param name="Type">Always <c>imageUrl</c>.</param>
/// <param name="Url">A <c>data:image/...</c> URL.</param>
public sealed record WebAttachment(string Type, string Url);
