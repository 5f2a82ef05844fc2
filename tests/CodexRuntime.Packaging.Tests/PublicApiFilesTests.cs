using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Packaging.Tests;

/// <summary>
/// The public-API guard (docs/public-api.md) stays wired: every package keeps its PublicAPI files, and every public
/// type its assembly exports is recorded in them. The analyzer fails the build on any member-level difference; this
/// catches the guard itself being dropped (a project losing the files or the analyzer), which no build error would.
/// </summary>
public sealed class PublicApiFilesTests
{
    /// <summary>Every project under src/.</summary>
    public static TheoryData<string> Projects()
    {
        var data = new TheoryData<string>();
        foreach (var directory in Directory.GetDirectories(Path.Combine(RepositoryLayout.Root, "src")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(directory));
        }

        return data;
    }

    /// <summary>Each package has both files, with nullable annotations on.</summary>
    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_package_has_its_PublicAPI_files(string project)
    {
        foreach (var name in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
        {
            var path = Path.Combine(RepositoryLayout.Root, "src", project, name);
            Assert.True(File.Exists(path), $"{project} has no {name}: see docs/public-api.md.");
            Assert.Equal("#nullable enable", File.ReadLines(path).First());
        }
    }

    /// <summary>Each exported type of the package's assembly has its line in the package's PublicAPI files.</summary>
    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_public_type_is_recorded(string project)
    {
        Assert.True(PackageAssemblies.All.TryGetValue(project, out var assembly), $"{project} is a package under src/ that this test does not know: add its assembly.");
        var recorded = RecordedLines(project);
        var missing = assembly.GetExportedTypes()
            .Select(ApiName)
            .Where(name => !recorded.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(missing.Count == 0, $"{project}: public types not in its PublicAPI files:\n{string.Join('\n', missing)}");
    }

    private static HashSet<string> RecordedLines(string project) =>
        Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Root, "src", project), "PublicAPI.*.txt", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(File.ReadLines)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>A type's line in the analyzer's format: nested types joined with '.', type parameters by name.</summary>
    private static string ApiName(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            // Only this type's own parameters: a nested type's list starts after its declaring type's.
            var inherited = type.DeclaringType?.GetGenericArguments().Length ?? 0;
            var own = type.GetGenericArguments().Skip(inherited).Select(argument => argument.Name);
            name = $"{name[..tick]}<{string.Join(", ", own)}>";
        }

        return type.DeclaringType is { } declaring ? $"{ApiName(declaring)}.{name}" : $"{type.Namespace}.{name}";
    }
}
