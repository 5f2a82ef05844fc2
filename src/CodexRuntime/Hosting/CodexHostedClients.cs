// The root namespace: internal registration plumbing of the root layer (it binds ClientConfig and builds CodexClient);
// the file stays in Hosting/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>The clients <c>WithHostedService()</c> was called for, in call order (options, so calls add up).</summary>
internal sealed class CodexHostedClients
{
    public List<string> Names { get; } = [];

    public void Add(string name)
    {
        if (!Names.Contains(name, StringComparer.Ordinal))
        {
            Names.Add(name);
        }
    }
}
