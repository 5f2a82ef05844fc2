namespace CodexRuntime.Protocol;

/// <summary>Implemented by every generated protocol record, so a payload can be checked before it is sent.</summary>
public interface ICodexProtocolObject
{
    /// <summary>Adds the path of every experimental field that is set (here and in nested records) to <paramref name="found"/>.</summary>
    /// <param name="found">Receives paths such as <c>permissionProfile</c> or <c>sandboxPolicy.networkAccess</c>.</param>
    /// <param name="path">The prefix for this object's fields.</param>
    void CollectExperimentalFields(ICollection<string> found, string path);
}
