using System.Collections.Frozen;

namespace CodexRuntime.Protocol;

/// <summary>Name lookups over the generated catalog.</summary>
internal static class CodexCatalogLookup
{
    public static readonly FrozenDictionary<string, CodexMethod> Methods = CodexMethods.All.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
    public static readonly FrozenDictionary<string, CodexNotificationType> Notifications = CodexNotifications.All.ToFrozenDictionary(m => m.Method, StringComparer.Ordinal);
    public static readonly FrozenDictionary<string, CodexServerRequestType> ServerRequests = CodexServerRequests.All.ToFrozenDictionary(m => m.Method, StringComparer.Ordinal);
}
