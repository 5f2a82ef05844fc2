using System.Text.RegularExpressions;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Packaging.Tests;

/// <summary>
/// Folders mirror namespaces: a file in <c>src/&lt;Package&gt;/A/B</c> declares <c>&lt;Package&gt;.A.B</c>. The one
/// exception is a package's root namespace, whose types are grouped in the folders listed in
/// <see cref="RootNamespaceFolders"/> (so the top of a package shows its layers instead of dozens of files); those
/// folders hold only root-namespace types. docs/architecture.md lists the same folders.
/// </summary>
public sealed partial class FolderNamespaceTests
{
    /// <summary>The folders of each package that hold its root namespace (besides the package folder itself).</summary>
    private static readonly Dictionary<string, string[]> RootNamespaceFolders = new(StringComparer.Ordinal)
    {
        ["CodexRuntime"] = ["Approvals", "Client", "Configuration", "Connection", "Errors", "Hosting", "Interception", "Runtime", "Sessions", "Turns"],
    };

    /// <summary>The packages.</summary>
    public static TheoryData<string> Packages() => new(PackageAssemblies.All.Keys.Order(StringComparer.Ordinal));

    /// <summary>Every source file declares the namespace its folder names.</summary>
    [Theory]
    [MemberData(nameof(Packages))]
    public void Every_file_declares_the_namespace_of_its_folder(string package)
    {
        var root = Path.Combine(RepositoryLayout.Root, "src", package);
        var rootFolders = RootNamespaceFolders.TryGetValue(package, out var folders) ? folders : [];
        var wrong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts[0] is "bin" or "obj")
            {
                continue;
            }

            var declared = NamespaceLine().Match(File.ReadAllText(file)) is { Success: true } match ? match.Groups[1].Value : "(none)";
            var folderPath = parts[..^1];
            var expected = folderPath.Length > 0 && rootFolders.Contains(folderPath[0], StringComparer.Ordinal)
                ? folderPath.Length == 1 ? package : null
                : string.Join('.', [package, .. folderPath]);
            if (expected is null)
            {
                wrong.Add($"{relative}: a root-namespace folder has no sub-folders");
            }
            else if (declared != expected)
            {
                wrong.Add($"{relative}: declares {declared}, its folder says {expected}");
            }
        }

        Assert.True(wrong.Count == 0, $"{package}: files whose namespace is not their folder's:\n{string.Join('\n', wrong)}");
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();
}
