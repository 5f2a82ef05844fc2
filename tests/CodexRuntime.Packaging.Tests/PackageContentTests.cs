using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.RegularExpressions;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Packaging.Tests;

/// <summary>What every package of the suite must carry (docs/packaging.md), read from the packed .nupkg files.</summary>
[Collection(PackedPackagesCollection.Name)]
public sealed partial class PackageContentTests(PackedPackages packed)
{
    /// <summary>One package per project under src/.</summary>
    public static TheoryData<string> PackageIds() => new(SrcProjects());

    [Fact]
    public void EveryProjectUnderSrcIsPackedAndNothingElse()
    {
        Assert.Equal(SrcProjects(), packed.Packages.Keys.Order(StringComparer.Ordinal));
    }

    private static string[] SrcProjects() =>
        Directory.GetFiles(Path.Combine(RepositoryLayout.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => name!)
            .Order(StringComparer.Ordinal)
            .ToArray();

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void ReadmeIsThePackagesOwnAndHasAQuickStart(string id)
    {
        var package = packed.Packages[id];
        Assert.Equal("README.md", package.Value("readme"));
        var readme = Encoding.UTF8.GetString(package.File("README.md") ?? throw new Xunit.Sdk.XunitException($"{id} packs no README.md"));
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "src", id, "README.md")), readme);
        Assert.StartsWith($"# {id}", readme, StringComparison.Ordinal);
        Assert.True(readme.Length > 800, $"{id}'s README has {readme.Length} characters: say what the package is for and give a quick start.");
        Assert.Contains("```csharp", readme, StringComparison.Ordinal);
        Assert.Contains("using ", readme, StringComparison.Ordinal);
        Assert.Contains("docs/", readme, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void LicenseIsMitAndTheRepositoryKeepsTheLicenseFile(string id)
    {
        var package = packed.Packages[id];
        var license = package.Element("license");
        Assert.NotNull(license);
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.Equal("MIT", license.Value);

        var rootLicense = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "LICENSE"));
        Assert.StartsWith("MIT License", rootLicense, StringComparison.Ordinal);
        Assert.Equal(rootLicense, Encoding.UTF8.GetString(package.File("LICENSE") ?? throw new Xunit.Sdk.XunitException($"{id} packs no LICENSE")));
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void MetadataComesFromOnePlace(string id)
    {
        var package = packed.Packages[id];
        Assert.Equal("CodexRuntime contributors", package.Value("authors"));
        Assert.Contains("CodexRuntime contributors", package.Value("copyright"), StringComparison.Ordinal);
        Assert.Contains("codex", package.Value("tags")?.Split(' ') ?? [], StringComparer.Ordinal);
        Assert.Contains("CHANGELOG.md", package.Value("releaseNotes"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(package.Value("description")), $"{id} has no description: set <Description> in its project file.");

        Assert.Equal("icon.png", package.Value("icon"));
        var icon = package.File("icon.png") ?? throw new Xunit.Sdk.XunitException($"{id} packs no icon.png");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, icon[..4]);
        // IHDR: width and height, big-endian, at bytes 16..23.
        Assert.Equal(128, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(icon.AsSpan(16, 4)));
        Assert.Equal(128, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(icon.AsSpan(20, 4)));
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void RepositoryNamesTheCommitAndAUrlOnlyWhenTheCloneHasANetworkRemote(string id)
    {
        var repository = packed.Packages[id].Element("repository");
        Assert.NotNull(repository);
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.Equal(packed.HeadCommit, (string?)repository.Attribute("commit"));
        var url = (string?)repository.Attribute("url");
        // SourceLink publishes a remote it can map to URLs (http(s), ssh, user@host:path); a clone of a local folder
        // (file:// or a path, as a CI clone may be) has nothing to publish. No URL is ever invented (docs/packaging.md).
        var networkRemotes = packed.RemoteUrls.Where(IsNetworkUrl).ToArray();
        if (networkRemotes.Length == 0)
        {
            Assert.Null(url);
            Assert.Null(packed.Packages[id].Value("projectUrl"));
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(url), $"{id} names no repository URL although the clone has the remotes {string.Join(", ", networkRemotes)}.");
        }
    }

    private static bool IsNetworkUrl(string remote) =>
        remote.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || remote.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || remote.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase)
        || remote.StartsWith("git://", StringComparison.OrdinalIgnoreCase)
        || ScpLikeRemote().IsMatch(remote);

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void VersionIsAPrereleaseOfThisCommit(string id)
    {
        var match = VersionPattern().Match(packed.Packages[id].Version);
        Assert.True(match.Success, $"{id} has version {packed.Packages[id].Version}, not <prefix>-alpha.<height>.g<sha>.");
        Assert.Equal(packed.CommitCount, match.Groups["height"].Value);
        Assert.StartsWith(match.Groups["sha"].Value, packed.HeadCommit, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void AssemblyCarriesXmlDocsAndAnEmbeddedPdb(string id)
    {
        var package = packed.Packages[id];
        var xml = package.File($"lib/net10.0/{id}.xml");
        Assert.True(xml is not null, $"{id} packs no XML documentation file; files: {string.Join(", ", package.FileNames)}");
        Assert.Contains($"<name>{id}</name>", Encoding.UTF8.GetString(xml), StringComparison.Ordinal);

        using var pe = new PEReader(new MemoryStream(Dll(package)));
        Assert.Contains(pe.ReadDebugDirectory(), entry => entry.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        Assert.DoesNotContain(package.FileNames, name => name.EndsWith(".pdb", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void AddOnsDependOnTheCoreWithinItsMinor(string id)
    {
        var package = packed.Packages[id];
        var dependencies = package.Dependencies;
        if (id == "CodexRuntime")
        {
            Assert.DoesNotContain(dependencies.Keys, key => key.StartsWith("CodexRuntime", StringComparison.Ordinal));
            return;
        }

        // While 0.x, a minor release may break: [this version, next minor) keeps an add-on off a core it was not built for.
        var core = packed.Packages["CodexRuntime"].Version;
        var prefix = new Version(core.Split('-')[0]);
        var upper = prefix.Major == 0 ? $"0.{prefix.Minor + 1}.0" : $"{prefix.Major + 1}.0.0";
        Assert.True(dependencies.TryGetValue("CodexRuntime", out var range), $"{id} does not depend on CodexRuntime.");
        Assert.Equal($"[{core}, {upper})", range);
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void NoInternalsAreVisibleToAnotherPackage(string id)
    {
        using var pe = new PEReader(new MemoryStream(Dll(packed.Packages[id])));
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            var type = reader.GetTypeReference((TypeReferenceHandle)constructor.Parent);
            if (reader.GetString(type.Name) != "InternalsVisibleToAttribute")
            {
                continue;
            }

            // The blob is: prolog 0x0001, then the one string argument ("Name" or "Name, PublicKey=...").
            var blob = reader.GetBlobReader(attribute.Value);
            blob.ReadUInt16();
            var friend = blob.ReadSerializedString()!.Split(',')[0].Trim();
            Assert.False(packed.Packages.ContainsKey(friend), $"{id} makes its internals visible to the package {friend}: make what it needs public instead.");
        }
    }

    [Fact]
    public void TheIvtCheckSeesTheAttributesThatAreThere()
    {
        // The core keeps InternalsVisibleTo for its (unshipped) tests: the check above must read them, or it proves nothing.
        using var pe = new PEReader(new MemoryStream(Dll(packed.Packages["CodexRuntime"])));
        var reader = pe.GetMetadataReader();
        var friends = reader.GetAssemblyDefinition().GetCustomAttributes()
            .Select(reader.GetCustomAttribute)
            .Where(a => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)reader.GetMemberReference((MemberReferenceHandle)a.Constructor).Parent).Name) == "InternalsVisibleToAttribute")
            .Select(a =>
            {
                var blob = reader.GetBlobReader(a.Value);
                blob.ReadUInt16();
                return blob.ReadSerializedString();
            })
            .ToArray();
        Assert.Contains("CodexRuntime.Tests", friends);
    }

    private static byte[] Dll(PackedPackage package) =>
        package.File($"lib/net10.0/{package.Id}.dll") ?? throw new Xunit.Sdk.XunitException($"{package.Id} packs no lib/net10.0/{package.Id}.dll");

    /// <summary>git's scp-like form, user@host:path (not a Windows drive such as C:\repo).</summary>
    [GeneratedRegex(@"^[^/\\@:]+@[^/\\:]+:")]
    private static partial Regex ScpLikeRemote();

    [GeneratedRegex(@"^\d+\.\d+\.\d+-alpha\.(?<height>\d+)\.g(?<sha>[0-9a-f]{10})$")]
    private static partial Regex VersionPattern();
}
