using System.Xml.Linq;

namespace CodexRuntime.Tests.Shared;

/// <summary>
/// The repository as files: where it is, and what each package project declares as dependencies. Shared by every
/// test project (linked in by tests/Directory.Build.props).
/// </summary>
internal static class RepositoryLayout
{
    public static string Root => CodexRuntime.Build.CodexInstaller.FindRepositoryRoot(AppContext.BaseDirectory);

    /// <summary>The dependencies a package under src/ declares in its project file.</summary>
    public static PackageDependencies DependenciesOf(string package)
    {
        var project = XDocument.Load(Path.Combine(Root, "src", package, package + ".csproj"));
        string[] Names(string element, Func<XElement, string> name) =>
            project.Descendants(element).Select(name).Order(StringComparer.Ordinal).ToArray();

        return new PackageDependencies(
            Names("ProjectReference", e => Path.GetFileNameWithoutExtension(((string)e.Attribute("Include")!).Replace('\\', '/'))),
            Names("PackageReference", e => (string)e.Attribute("Include")!),
            Names("FrameworkReference", e => (string)e.Attribute("Include")!));
    }

    /// <summary>Asserts the SPEC's package table for an add-on: it depends on the core and on nothing else but <paramref name="frameworks"/>.</summary>
    public static void AssertAddOnDependsOnlyOnCore(string package, params string[] frameworks)
    {
        var dependencies = DependenciesOf(package);
        Assert.Equal(["CodexRuntime"], dependencies.Projects);
        Assert.Empty(dependencies.Packages);
        Assert.Equal(frameworks.Order(StringComparer.Ordinal), dependencies.Frameworks);
    }
}

internal sealed record PackageDependencies(IReadOnlyList<string> Projects, IReadOnlyList<string> Packages, IReadOnlyList<string> Frameworks);
