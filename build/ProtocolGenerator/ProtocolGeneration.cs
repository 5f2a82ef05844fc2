using System.Diagnostics;

namespace CodexRuntime.ProtocolGenerator;

/// <summary>
/// The generator's entry points, shared by the command line (Program.cs) and the tests that prove the checked-in
/// files are exactly what the pinned codex produces.
/// </summary>
public static class ProtocolGeneration
{
    /// <summary>The codex version the typed protocol is generated from.</summary>
    public const string PinnedVersion = "0.169.0";

    /// <summary>The oldest supported codex: consulted for what is optional and which methods it has.</summary>
    public const string FloorVersion = "0.104.0";

    /// <summary>The command written at the top of every generated file.</summary>
    public const string RegenerateCommand = "dotnet run --project build/ProtocolGenerator";

    /// <summary>Folder of the checked-in schema of one version, relative to the repository root.</summary>
    public static string SchemaFolder(string repositoryRoot, string version) => Path.Combine(repositoryRoot, "build", "schema", version);

    /// <summary>The project folder the generated files go into (their names are relative to it).</summary>
    public static string OutputFolder(string repositoryRoot) => Path.Combine(repositoryRoot, "src", "CodexRuntime");

    /// <summary>Generates the C# files (path relative to <see cref="OutputFolder"/> -> content) from two schema folders.</summary>
    public static IReadOnlyDictionary<string, string> Generate(string pinnedSchemaFolder, string floorSchemaFolder) =>
        new Generator(SchemaSet.Load(pinnedSchemaFolder, PinnedVersion), SchemaSet.Load(floorSchemaFolder, FloorVersion), RegenerateCommand).Generate();

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
