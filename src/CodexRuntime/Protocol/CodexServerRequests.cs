namespace CodexRuntime.Protocol;

// The members of CodexServerRequests are generated (ProtocolCatalog.g.cs); this part adds lookups.
public static partial class CodexServerRequests
{
    /// <summary>Finds a server request by its method name.</summary>
    /// <param name="method">The method, e.g. <c>item/commandExecution/requestApproval</c>.</param>
    /// <returns>The catalog entry, or null for a method the pinned codex does not send.</returns>
    public static CodexServerRequestType? Find(string method) => CodexCatalogLookup.ServerRequests.GetValueOrDefault(method);
}
