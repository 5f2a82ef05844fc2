using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Xml.Linq;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Packaging.Tests;

/// <summary>
/// SPEC.md, package table: a consumer references only what it needs, so each package may depend on what its row below
/// allows and nothing else. Checked twice per package: what its project file declares, and what its compiled assembly
/// references (this project references every package, so the built assemblies sit beside this test).
/// </summary>
public sealed class PackageDependencyTests
{
    /// <summary>The one table: per package, the projects it must reference, and the packages and frameworks it may.</summary>
    private static readonly Dictionary<string, Allowed> Table = new(StringComparer.Ordinal)
    {
        // Options has no Abstractions package; ConfigurationExtensions binds the CodexRuntime section (docs/decisions.md).
        ["CodexRuntime"] = new([], ["StreamJsonRpc", "Nerdbank.Streams", "Microsoft.Extensions.Options", "Microsoft.Extensions.Options.ConfigurationExtensions", "Microsoft.Extensions.*.Abstractions"], []),
        // The two abstractions it implements (issue 26), IChatClient and AIAgent, and M.E.AI for ChatClientBuilder (AddChatClient returns it).
        ["CodexRuntime.AI"] = new(["CodexRuntime"], ["Microsoft.Extensions.AI", "Microsoft.Extensions.AI.Abstractions", "Microsoft.Agents.AI.Abstractions"], []),
        ["CodexRuntime.Artifact"] = new(["CodexRuntime"], [], []),
        // Cron expressions with time zones (issue 14).
        ["CodexRuntime.Automation"] = new(["CodexRuntime"], ["Cronos"], []),
        ["CodexRuntime.Hooks"] = new(["CodexRuntime"], [], []),
        // Web sessions as Orleans grains (issue 28): the silo it runs in, and the Sdk's generated proxies and serializers.
        ["CodexRuntime.Orleans"] = new(["CodexRuntime", "CodexRuntime.Web"], ["Microsoft.Orleans.Server", "Microsoft.Orleans.Sdk"], ["Microsoft.AspNetCore.App"]),
        ["CodexRuntime.Testing"] = new(["CodexRuntime"], [], []),
        ["CodexRuntime.Web"] = new(["CodexRuntime"], [], ["Microsoft.AspNetCore.App"]),
    };

    public static TheoryData<string> Packages() => new(Table.Keys);

    [Fact]
    public void The_table_has_a_row_for_every_package_under_src()
    {
        var projects = Directory.GetFiles(Path.Combine(RepositoryLayout.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(path => Path.GetFileNameWithoutExtension(path)!);
        Assert.Equal(projects.Order(StringComparer.Ordinal), Table.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_project_file_declares_only_what_the_table_allows(string package)
    {
        var allowed = Table[package];
        var project = XDocument.Load(Path.Combine(RepositoryLayout.Root, "src", package, package + ".csproj"));
        string[] Declared(string element, Func<string, string> name) =>
            project.Descendants(element).Select(e => name((string)e.Attribute("Include")!)).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(allowed.Projects, Declared("ProjectReference", path => Path.GetFileNameWithoutExtension(path.Replace('\\', '/'))));
        Assert.All(Declared("PackageReference", name => name), name => Assert.True(Matches(allowed.Packages, name), $"{package} must not reference the package {name} (SPEC.md package table)."));
        Assert.All(Declared("FrameworkReference", name => name), name => Assert.Contains(name, allowed.Frameworks));
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_compiled_assembly_references_only_what_the_table_allows(string package)
    {
        var allowed = Table[package];
        var packaged = PackageAssemblies(package);
        var forbidden = ReferencedAssemblies(package)
            .Where(name => !allowed.Projects.Contains(name) && !packaged.Contains(name) && !InFramework(name, ["Microsoft.NETCore.App", .. allowed.Frameworks]))
            .ToArray();
        Assert.True(forbidden.Length == 0, $"{package} must not reference {string.Join(", ", forbidden)} (SPEC.md package table).");
    }

    [Fact]
    public void The_assembly_check_sees_the_references_that_are_there()
    {
        // Without this, a reader that returned nothing would pass every row above.
        Assert.Contains("StreamJsonRpc", ReferencedAssemblies("CodexRuntime"));
        Assert.Contains("Cronos", ReferencedAssemblies("CodexRuntime.Automation"));
        Assert.Contains("CodexRuntime", ReferencedAssemblies("CodexRuntime.Web"));
        Assert.Contains(ReferencedAssemblies("CodexRuntime.Web"), name => name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal));
        Assert.False(InFramework("Cronos", ["Microsoft.NETCore.App", "Microsoft.AspNetCore.App"]));
        Assert.Contains("Microsoft.Extensions.Configuration.Binder", PackageAssemblies("CodexRuntime"));
        Assert.DoesNotContain("Cronos", PackageAssemblies("CodexRuntime.Hooks"));
    }

    /// <summary>The assembly names the built package's metadata references (read from the file, not loaded).</summary>
    private static string[] ReferencedAssemblies(string package)
    {
        var path = Path.Combine(AppContext.BaseDirectory, package + ".dll");
        Assert.True(File.Exists(path), $"{path} is missing: this project must reference every package under src/.");
        using var pe = new PEReader(File.OpenRead(path));
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(handle => reader.GetString(reader.GetAssemblyReference(handle).Name)).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The assemblies that come with what the package may reference: the packages its row allows, the packages of the
    /// projects it references (a consumer of an add-on gets the core's anyway, and the core's row is checked itself),
    /// and everything those bring in, as restore resolved them (obj/project.assets.json).
    /// </summary>
    private static HashSet<string> PackageAssemblies(string package)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "src", package, "obj", "project.assets.json")));
        var libraries = assets.RootElement.GetProperty("targets").EnumerateObject().Single().Value.EnumerateObject()
            .ToDictionary(library => library.Name.Split('/')[0], library => library.Value, StringComparer.OrdinalIgnoreCase);
        var allowed = Table[package];
        var pending = new Queue<string>(libraries.Keys.Where(name => Matches(allowed.Packages, name) || allowed.Projects.Contains(name)));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var assemblies = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var name))
        {
            if (!seen.Add(name) || !libraries.TryGetValue(name, out var library))
            {
                continue;
            }

            if (library.TryGetProperty("dependencies", out var dependencies))
            {
                foreach (var dependency in dependencies.EnumerateObject())
                {
                    pending.Enqueue(dependency.Name);
                }
            }

            if (library.GetProperty("type").GetString() == "package" && library.TryGetProperty("compile", out var compile))
            {
                assemblies.UnionWith(compile.EnumerateObject().Select(file => Path.GetFileName(file.Name)).Where(file => file.EndsWith(".dll", StringComparison.Ordinal)).Select(Path.GetFileNameWithoutExtension)!);
            }
        }

        return assemblies;
    }

    /// <summary>Whether a name is allowed by the patterns (exact, or <c>Prefix.*.Suffix</c>).</summary>
    private static bool Matches(IEnumerable<string> patterns, string name) => patterns.Any(pattern =>
        pattern.Split(".*.") is [var prefix, var suffix]
            ? name.StartsWith(prefix + ".", StringComparison.Ordinal) && name.EndsWith("." + suffix, StringComparison.Ordinal)
            : pattern == name);

    /// <summary>Whether an assembly ships in one of the shared frameworks (as installed beside the running runtime).</summary>
    private static bool InFramework(string assembly, IEnumerable<string> frameworks)
    {
        // The runtime directory is shared/Microsoft.NETCore.App/<version>/; its siblings' frameworks have the same major.
        var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory());
        var shared = runtime.Parent!.Parent!;
        var major = runtime.Name.Split('.')[0] + ".";
        return frameworks.Any(framework =>
            shared.GetDirectories(framework).SelectMany(f => f.GetDirectories(major + "*"))
                .Any(version => File.Exists(Path.Combine(version.FullName, assembly + ".dll"))));
    }

    private sealed record Allowed(string[] Projects, string[] Packages, string[] Frameworks);
}
