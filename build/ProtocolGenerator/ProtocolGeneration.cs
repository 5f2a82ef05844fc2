using System.Diagnostics;
using CodexRuntime.Build;

namespace CodexRuntime.ProtocolGenerator;

/// <summary>
/// The generator's entry points, shared by the command line (Program.cs) and the tests that prove the checked-in
/// files are exactly what the pinned codex produces.
/// </summary>
public static class ProtocolGeneration
{
    private static readonly Lazy<(string Newest, string Floor)> Versions = new(() => ReadVersions(CodexInstaller.FindRepositoryRoot(AppContext.BaseDirectory)));

    /// <summary>The codex version the typed protocol is generated from (<c>newest</c> in build/codex-versions).</summary>
    public static string PinnedVersion => Versions.Value.Newest;

    /// <summary>The oldest supported codex (<c>floor</c> in build/codex-versions): consulted for what is optional and which methods it has.</summary>
    public static string FloorVersion => Versions.Value.Floor;

    /// <summary>The command written at the top of every generated file.</summary>
    public const string RegenerateCommand = "dotnet run --project build/ProtocolGenerator";

    /// <summary>The folders under <see cref="OutputFolder"/> that hold generated <c>*.g.cs</c> files (stale ones there are deleted).</summary>
    public static IReadOnlyList<string> GeneratedFolders { get; } = [".", "Protocol", "Protocol/Names", "Serialization"];

    /// <summary>The file that names the newest and the floor version.</summary>
    public static string VersionsFile(string repositoryRoot) => Path.Combine(repositoryRoot, "build", "codex-versions");

    /// <summary>Reads <c>newest=</c> and <c>floor=</c> from build/codex-versions.</summary>
    public static (string Newest, string Floor) ReadVersions(string repositoryRoot)
    {
        var values = File.ReadAllLines(VersionsFile(repositoryRoot))
            .Where(line => line.Length > 0 && line[0] != '#' && line.Contains('='))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.Ordinal);
        return (values["newest"], values["floor"]);
    }

    /// <summary>Writes <paramref name="newest"/> as <c>newest=</c> into build/codex-versions, keeping everything else.</summary>
    public static void WriteNewest(string repositoryRoot, string newest)
    {
        var path = VersionsFile(repositoryRoot);
        var lines = File.ReadAllLines(path).Select(line => line.StartsWith("newest=", StringComparison.Ordinal) ? "newest=" + newest : line);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
    }

    /// <summary>Folder of the checked-in schema of one version, relative to the repository root.</summary>
    public static string SchemaFolder(string repositoryRoot, string version) => Path.Combine(repositoryRoot, "build", "schema", version);

    /// <summary>
    /// The checked-in schema folders strictly between the floor and the pinned version (earlier pinned releases): they
    /// tell since when a method exists and keep fields optional that one of them did not send.
    /// </summary>
    public static IReadOnlyList<string> IntermediateVersions(string repositoryRoot, string pinned, string floor)
    {
        var low = Version.Parse(floor);
        var high = Version.Parse(pinned);
        return Directory.GetDirectories(Path.Combine(repositoryRoot, "build", "schema"))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => Version.TryParse(name, out var v) && v > low && v < high)
            .OrderBy(Version.Parse)
            .ToList();
    }

    /// <summary>The project folder the generated files go into (their names are relative to it).</summary>
    public static string OutputFolder(string repositoryRoot) => Path.Combine(repositoryRoot, "src", "CodexRuntime");

    /// <summary>
    /// Generates the C# files (path relative to <see cref="OutputFolder"/> -> content) from the pinned schema, the
    /// floor's, and the checked-in schemas of the releases between them.
    /// </summary>
    /// <param name="repositoryRoot">The repository (for the checked-in schemas between floor and pinned).</param>
    /// <param name="pinnedVersion">The version the types are generated from.</param>
    /// <param name="pinnedSchemaFolder">Its schema.</param>
    /// <param name="floorSchemaFolder">The floor's schema.</param>
    public static IReadOnlyDictionary<string, string> Generate(string repositoryRoot, string pinnedVersion, string pinnedSchemaFolder, string floorSchemaFolder)
    {
        var older = IntermediateVersions(repositoryRoot, pinnedVersion, FloorVersion)
            .Select(version => SchemaSet.Load(SchemaFolder(repositoryRoot, version), version))
            .Append(SchemaSet.Load(floorSchemaFolder, FloorVersion))
            .ToList();
        return new Generator(SchemaSet.Load(pinnedSchemaFolder, pinnedVersion), older, RegenerateCommand, ImplicitUsingTypes.Names()).Generate();
    }

    /// <summary>
    /// Runs <c>codex app-server generate-json-schema</c> (once plain, once with <c>--experimental</c>) and writes the two
    /// schema bundles into <paramref name="outputFolder"/>, re-indented the same way every time.
    /// </summary>
    public static void DumpSchema(string codexBinary, string outputFolder)
    {
        Directory.CreateDirectory(outputFolder);
        foreach (var (experimental, file) in new[] { (false, SchemaSet.StableFile), (true, SchemaSet.ExperimentalFile) })
        {
            var scratch = Directory.CreateTempSubdirectory("codex-schema-");
            try
            {
                var start = new ProcessStartInfo(codexBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var argument in new[] { "app-server", "generate-json-schema", "--out", scratch.FullName })
                {
                    start.ArgumentList.Add(argument);
                }

                if (experimental)
                {
                    start.ArgumentList.Add("--experimental");
                }

                using var process = Process.Start(start)!;
                var stderr = process.StandardError.ReadToEndAsync();
                process.StandardOutput.ReadToEnd();
                if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
                {
                    process.Kill(entireProcessTree: true);
                    throw new InvalidOperationException($"{codexBinary} generate-json-schema did not finish within 2 minutes.");
                }

                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"{codexBinary} generate-json-schema failed ({process.ExitCode}): {stderr.Result}");
                }

                var bundle = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(scratch.FullName, SchemaSet.StableFile)))!;
                File.WriteAllText(Path.Combine(outputFolder, file), bundle.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            }
            finally
            {
                scratch.Delete(recursive: true);
            }
        }
    }
}
