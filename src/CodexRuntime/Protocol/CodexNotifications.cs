namespace CodexRuntime.Protocol;

// The members of CodexNotifications are generated (ProtocolCatalog.g.cs); this part adds lookups.
public static partial class CodexNotifications
{
    /// <summary>Finds a notification by its method name.</summary>
    /// <param name="method">The method, e.g. <c>turn/completed</c>.</param>
    /// <returns>The catalog entry, or null for a method the pinned codex does not send.</returns>
    public static CodexNotificationType? Find(string method) => CodexCatalogLookup.Notifications.GetValueOrDefault(method);
}
