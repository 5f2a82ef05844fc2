using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Packaging.Tests;

/// <summary>
/// Packs every package of the solution once per test run (the build already happened: this project references them
/// all, and build/test.sh builds the solution first) into a temporary folder, and reads the packages back.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    /// <summary>Packing without building takes seconds; the deadline only guards against a hung dotnet.</summary>
    private static readonly TimeSpan PackDeadline = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan GitDeadline = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("codexruntime-pack-");

    /// <summary>The folder the packages were packed into: a local folder feed (tests/PackageConsumer restores from it).</summary>
    public string Folder => _folder.FullName;

    /// <summary>The packages, by id.</summary>
    public IReadOnlyDictionary<string, PackedPackage> Packages { get; private set; } = new Dictionary<string, PackedPackage>();

    /// <summary>The commit the packages were packed from.</summary>
    public string HeadCommit { get; private set; } = "";

    /// <summary>How many commits HEAD has (the version's height).</summary>
    public string CommitCount { get; private set; } = "";

    /// <summary>The git remotes' URLs; empty when the clone has none.</summary>
    public IReadOnlyList<string> RemoteUrls { get; private set; } = [];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var root = RepositoryLayout.Root;
        HeadCommit = await GitAsync(root, "rev-parse", "HEAD");
        CommitCount = await GitAsync(root, "rev-list", "--count", "HEAD");
        var remotes = await GitAsync(root, "remote");
        RemoteUrls = await Task.WhenAll(remotes.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(remote => GitAsync(root, "remote", "get-url", remote.Trim())));

        var configuration = typeof(PackedPackages).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var nuspecs = _folder.CreateSubdirectory("nuspec");
        var (exitCode, output) = await CommandLine.RunAsync(root, PackDeadline,
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            "pack", "CodexRuntime.sln", "--no-build", "-c", configuration, "-o", _folder.FullName,
            // The nuspec files go to the temporary folder too, so packing never writes into the projects' obj/.
            $"-p:NuspecOutputPath={nuspecs.FullName}/", "-v", "q", "-nologo");
        Assert.True(exitCode == 0, $"dotnet pack failed with exit code {exitCode}:\n{output}");

        var packages = new Dictionary<string, PackedPackage>(StringComparer.Ordinal);
        foreach (var file in _folder.GetFiles("*.nupkg"))
        {
            var package = PackedPackage.Read(file.FullName);
            packages.Add(package.Id, package);
        }

        Packages = packages;
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }

    private static async Task<string> GitAsync(string root, params string[] arguments)
    {
        var (exitCode, output) = await CommandLine.RunAsync(root, GitDeadline, "git", arguments);
        Assert.True(exitCode == 0, $"git {string.Join(' ', arguments)} failed with exit code {exitCode}:\n{output}");
        return output.Trim();
    }
}

/// <summary>One .nupkg: its manifest and its files.</summary>
public sealed class PackedPackage
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

    private readonly IReadOnlyDictionary<string, byte[]> _files;

    private PackedPackage(XElement metadata, IReadOnlyDictionary<string, byte[]> files)
    {
        Metadata = metadata;
        _files = files;
    }

    /// <summary>The package id.</summary>
    public string Id => Value("id")!;

    /// <summary>The package version.</summary>
    public string Version => Value("version")!;

    /// <summary>The nuspec's &lt;metadata&gt; element.</summary>
    public XElement Metadata { get; }

    /// <summary>The paths of the files in the package.</summary>
    public IEnumerable<string> FileNames => _files.Keys;

    /// <summary>The text of a metadata element, or null when it is absent.</summary>
    public string? Value(string element) => (string?)Metadata.Element(Nuspec + element);

    /// <summary>A metadata element, or null when it is absent.</summary>
    public XElement? Element(string element) => Metadata.Element(Nuspec + element);

    /// <summary>The dependencies of the package: id and version range, over all framework groups.</summary>
    public IReadOnlyDictionary<string, string> Dependencies =>
        Metadata.Descendants(Nuspec + "dependency").ToDictionary(d => (string)d.Attribute("id")!, d => (string)d.Attribute("version")!);

    /// <summary>A file's bytes, or null when the package has no such file.</summary>
    public byte[]? File(string path) => _files.TryGetValue(path, out var bytes) ? bytes : null;

    /// <summary>Reads a .nupkg.</summary>
    public static PackedPackage Read(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[entry.FullName] = copy.ToArray();
        }

        var nuspec = files.Single(f => !f.Key.Contains('/', StringComparison.Ordinal) && f.Key.EndsWith(".nuspec", StringComparison.Ordinal));
        var metadata = XDocument.Load(new MemoryStream(nuspec.Value)).Root!.Element(Nuspec + "metadata")!;
        return new PackedPackage(metadata, files);
    }
}

/// <summary>Shares one packing among all test classes of the run.</summary>
[CollectionDefinition(Name)]
public sealed class PackedPackagesCollection : ICollectionFixture<PackedPackages>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packed packages";
}
