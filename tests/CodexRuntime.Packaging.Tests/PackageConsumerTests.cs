using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CodexRuntime.Protocol;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Packaging.Tests;

/// <summary>
/// tests/PackageConsumer, built and run the way a user's app would be: out of the repository, restoring the packed
/// packages from a local folder feed as PackageReferences (docs/packaging.md, "The consumer check").
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed partial class PackageConsumerTests(PackedPackages packed) : IDisposable
{
    private const string ConsumerName = "PackageConsumer";

    /// <summary>The packages the consumer references; Hooks is packed but this app has no use for it.</summary>
    private static readonly string[] ConsumedPackages = ["CodexRuntime", "CodexRuntime.Artifact", "CodexRuntime.Automation", "CodexRuntime.Testing", "CodexRuntime.Web"];

    /// <summary>Restore (from nuget.org's cache or the network for the third-party dependencies) and compile: about 10 s here.</summary>
    private static readonly TimeSpan BuildDeadline = TimeSpan.FromMinutes(3);

    /// <summary>The consumer's own steps each have a 60 s deadline; it takes a few seconds.</summary>
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(4);

    // Out of the repository, so the consumer's obj/ and bin/ never land in it and no Directory.Build.props above the
    // copy can reach it; deleted after the test.
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("codexruntime-consumer-");

    [Fact]
    public async Task ConsumerBuiltFromTheFeedCompletesAWebTurnAnAutomationRunAndAnArtifactTaskAndLeavesNoCodex()
    {
        var version = packed.Packages["CodexRuntime"].Version;
        var app = CopyConsumer();
        // A packages folder of its own: a copy of this version restored earlier (from a dirty tree, which packs the
        // same version as its commit) can never be used instead of the one just packed.
        var packages = _temp.CreateSubdirectory("packages").FullName;
        var output = _temp.CreateSubdirectory("out").FullName;
        var work = Path.Combine(_temp.FullName, "work");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

        var (buildExit, buildOutput) = await CommandLine.RunAsync(app, BuildDeadline, dotnet,
            "build", $"{ConsumerName}.csproj", $"-p:CodexRuntimeVersion={version}", $"-p:RestorePackagesPath={packages}",
            "-o", output, "-v", "q", "-nologo");
        Assert.True(buildExit == 0, $"building the consumer against the feed failed with exit code {buildExit}:\n{buildOutput}");
        AssertRestoredFromTheFeed(app, packages, version);

        var codex = await Task.Run(() => CodexRuntime.Build.CodexInstaller.Install(RepositoryLayout.Root, CodexProtocolVersions.Pinned.ToString()));
        var (exitCode, consumerOutput) = await CommandLine.RunAsync(app, RunDeadline,
            new Dictionary<string, string> { ["CODEX_CLI_PATH"] = codex },
            dotnet, Path.Combine(output, $"{ConsumerName}.dll"), "--work", work);

        Assert.True(exitCode == 0, $"the consumer failed with exit code {exitCode}:\n{consumerOutput}");
        // The dlls inside a --no-build pack carry the version of the last build: a commit since then shows here.
        Assert.True(consumerOutput.Contains($"packages: CodexRuntime {version}+", StringComparison.Ordinal),
            $"the consumer ran CodexRuntime of another version than the packages ({version}); if you committed after the last build, build again:\n{consumerOutput}");
        Assert.Matches(@"(?m)^web: session \w+ turn \S+ completed: ""Hello from the packages\.""$", consumerOutput);
        Assert.Matches(@"(?m)^automation: consumer-check run 1 completed: ""The build is green\."" \(Stopped\)$", consumerOutput);
        Assert.Matches(@"(?m)^artifact: consumer-notes generated revision sha256:[0-9a-f]{64} ""Consumer notes""$", consumerOutput);
        Assert.Matches(@"(?m)^stopped: codex process \d+ gone, no child process left$", consumerOutput);
        Assert.Contains("PackageConsumer: all steps passed", consumerOutput, StringComparison.Ordinal);

        // The consumer checked its own children; a codex that escaped its process tree (re-parented) would still
        // carry the consumer's CODEX_HOME, which lies below the work folder.
        Assert.Empty(ProcessesMentioning(work));
    }

    [Fact]
    public void ConsumerUsesOnlyThePackagesRootNamespacesAndNoProjectReference()
    {
        var folder = Path.Combine(RepositoryLayout.Root, "tests", ConsumerName);
        var usings = File.ReadAllLines(Path.Combine(folder, "Program.cs"))
            .Select(line => UsingDirective().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value)
            .ToArray();
        var codexUsings = usings.Where(u => u.StartsWith("CodexRuntime", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(["CodexRuntime", "CodexRuntime.Artifact", "CodexRuntime.Automation", "CodexRuntime.Testing", "CodexRuntime.Web"], codexUsings);
        Assert.All(usings.Where(u => !u.StartsWith("CodexRuntime", StringComparison.Ordinal)), u => Assert.Matches("^(System|Microsoft)([.]|$)", u));

        var project = XDocument.Load(Path.Combine(folder, $"{ConsumerName}.csproj"));
        Assert.Empty(project.Descendants("ProjectReference"));
        Assert.Equal(ConsumedPackages, project.Descendants("PackageReference").Select(p => (string)p.Attribute("Include")!).Order(StringComparer.Ordinal));
        // The folder stops MSBuild's search for the repository's build and package settings.
        Assert.True(File.Exists(Path.Combine(folder, "Directory.Build.props")));
        Assert.True(File.Exists(Path.Combine(folder, "Directory.Packages.props")));
        Assert.DoesNotContain(ConsumerName, File.ReadAllText(Path.Combine(RepositoryLayout.Root, "CodexRuntime.sln")), StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public void Dispose() => _temp.Delete(recursive: true);

    /// <summary>Copies the consumer's sources (not a bin/ or obj/ of a run by hand) and points its nuget.config at the packed feed.</summary>
    private string CopyConsumer()
    {
        var source = Path.Combine(RepositoryLayout.Root, "tests", ConsumerName);
        var app = _temp.CreateSubdirectory("app").FullName;
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(app, Path.GetFileName(file)));
        }

        var config = Path.Combine(app, "nuget.config");
        var document = XDocument.Load(config);
        var feed = document.Descendants("add").Single(a => (string?)a.Attribute("key") == "codexruntime-local");
        feed.SetAttributeValue("value", packed.Folder);
        document.Save(config);
        return app;
    }

    /// <summary>Every package the consumer uses came from the feed into the test's packages folder, and no project did.</summary>
    private static void AssertRestoredFromTheFeed(string app, string packages, string version)
    {
        var assets = JsonNode.Parse(File.ReadAllText(Path.Combine(app, "obj", "project.assets.json")))!;
        var libraries = assets["libraries"]!.AsObject();
        foreach (var id in ConsumedPackages)
        {
            Assert.Equal("package", (string?)libraries[$"{id}/{version}"]?["type"]);
            Assert.True(Directory.Exists(Path.Combine(packages, id.ToLowerInvariant(), version)), $"{id} {version} is not in the test's packages folder.");
        }

        Assert.DoesNotContain(libraries, library => (string?)library.Value!["type"] == "project");
    }

    /// <summary>The ids of processes whose command line or environment contains <paramref name="text"/> (Linux /proc).</summary>
    private static int[] ProcessesMentioning(string text)
    {
        Assert.True(Directory.Exists("/proc"), "The leftover-process check reads /proc (Linux), as build/test.sh's machines have.");
        var found = new List<int>();
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(folder, "cmdline")).Contains(text, StringComparison.Ordinal)
                    || File.ReadAllText(Path.Combine(folder, "environ")).Contains(text, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we read it, or belongs to another user (not ours, so not the consumer's).
            }
        }

        return [.. found];
    }

    [GeneratedRegex(@"^using\s+([\w.]+)\s*;")]
    private static partial Regex UsingDirective();
}
