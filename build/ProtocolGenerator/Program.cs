// Generates src/CodexRuntime/Protocol/*.g.cs from the codex app-server JSON schema.
//
//   dotnet run --project build/ProtocolGenerator                 refresh build/schema/<version>/ from the pinned codex
//                                                                binaries (installed by build/install-codex.sh), then generate
//   dotnet run --project build/ProtocolGenerator -- --offline    generate from the checked-in build/schema only
//
// The tests in CodexRuntime.IntegrationTests (ProtocolGenerationTests) run the same code and fail when the checked-in
// files differ from what the pinned binary produces.
using System.Diagnostics;
using CodexRuntime.ProtocolGenerator;

var root = AppContext.BaseDirectory;
while (!File.Exists(Path.Combine(root, "CodexRuntime.sln")))
{
    root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run from inside the CodexRuntime repository.");
}

if (!args.Contains("--offline"))
{
    foreach (var version in new[] { ProtocolGeneration.PinnedVersion, ProtocolGeneration.FloorVersion })
    {
        var binary = Install(root, version);
        ProtocolGeneration.DumpSchema(binary, ProtocolGeneration.SchemaFolder(root, version));
        Console.WriteLine($"schema {version}: {ProtocolGeneration.SchemaFolder(root, version)}");
    }
}

var output = ProtocolGeneration.OutputFolder(root);
foreach (var folder in new[] { "Protocol", "Serialization" })
{
    foreach (var stale in Directory.GetFiles(Path.Combine(output, folder), "*.g.cs"))
    {
        File.Delete(stale);
    }
}

foreach (var (name, content) in ProtocolGeneration.Generate(
    ProtocolGeneration.SchemaFolder(root, ProtocolGeneration.PinnedVersion),
    ProtocolGeneration.SchemaFolder(root, ProtocolGeneration.FloorVersion)))
{
    File.WriteAllText(Path.Combine(output, name), content);
    Console.WriteLine($"wrote {Path.Combine(output, name)} ({content.Length:N0} chars)");
}

return 0;

static string Install(string root, string version)
{
    var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
    start.ArgumentList.Add(Path.Combine(root, "build", "install-codex.sh"));
    start.ArgumentList.Add(version);
    using var process = Process.Start(start)!;
    var path = process.StandardOutput.ReadToEnd().Trim();
    process.WaitForExit();
    return process.ExitCode == 0 ? path : throw new InvalidOperationException($"build/install-codex.sh {version} failed ({process.ExitCode}).");
}
