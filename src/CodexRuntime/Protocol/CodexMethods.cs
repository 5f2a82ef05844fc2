namespace CodexRuntime.Protocol;

// The members of CodexMethods are generated (ProtocolCatalog.g.cs); this part adds lookups.
public static partial class CodexMethods
{
    /// <summary>Finds a client request by its method name.</summary>
    /// <param name="method">The method, e.g. <c>thread/start</c>.</param>
    /// <returns>The catalog entry, or null for a method the pinned codex does not have.</returns>
    public static CodexMethod? Find(string method) => CodexCatalogLookup.Methods.GetValueOrDefault(method);
}
