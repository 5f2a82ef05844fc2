using System.Text.RegularExpressions;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Tests.Architecture;

/// <summary>
/// The core's source stays free of the add-ons. What each package may reference (project file and compiled assembly)
/// is one table in tests/CodexRuntime.Packaging.Tests/PackageDependencyTests.cs.
/// </summary>
public sealed partial class PackageBoundaryTests
{
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

    [GeneratedRegex(@"\bCodexRuntime\.(Hooks|Automation|Web|Artifact|Testing)\b")]
    private static partial Regex AddOnNamespace();
}
