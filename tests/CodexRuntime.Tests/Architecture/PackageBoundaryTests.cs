using System.Text.RegularExpressions;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Tests.Architecture;

public sealed partial class PackageBoundaryTests
{
    [Fact]
    public void Core_depends_only_on_streamjsonrpc_nerdbank_streams_and_extension_abstractions()
    {
        var dependencies = RepositoryLayout.DependenciesOf("CodexRuntime");
        Assert.Empty(dependencies.Projects);
        Assert.Empty(dependencies.Frameworks);
        Assert.All(dependencies.Packages, package => Assert.True(
            package is "StreamJsonRpc" or "Nerdbank.Streams"
                // Options has no Abstractions package; ConfigurationExtensions binds the CodexRuntime section (docs/decisions.md).
                or "Microsoft.Extensions.Options" or "Microsoft.Extensions.Options.ConfigurationExtensions"
                || (package.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && package.EndsWith(".Abstractions", StringComparison.Ordinal)),
            $"The core package must not depend on {package} (SPEC.md package table)."));
    }

    [Fact]
    public void Core_source_never_names_an_add_on_namespace()
    {
        var core = Path.Combine(RepositoryLayout.Root, "src", "CodexRuntime");
        var offenders = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => AddOnNamespace().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(core, f));
        Assert.Empty(offenders);
    }

    [Fact]
    public void Core_assembly_references_no_add_on_assembly()
    {
        var references = typeof(CodexRuntime.Rpc.CodexConnection).Assembly.GetReferencedAssemblies().Select(a => a.Name);
        Assert.DoesNotContain(references, name => AddOnNamespace().IsMatch(name ?? string.Empty));
    }

    [GeneratedRegex(@"\bCodexRuntime\.(Hooks|Automation|Web|Artifact|Testing)\b")]
    private static partial Regex AddOnNamespace();
}
