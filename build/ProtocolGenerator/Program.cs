// Generates src/CodexRuntime/Protocol/*.g.cs from the codex app-server JSON schema.
//
//   dotnet run --project build/ProtocolGenerator                 refresh build/schema/<version>/ from the pinned codex
//                                                                binaries (installed by build/install-codex.sh), then generate
//   dotnet run --project build/ProtocolGenerator -- --offline    generate from the checked-in build/schema only
//
// The tests in CodexRuntime.IntegrationTests (ProtocolGenerationTests) run the same code and fail when the checked-in
// files differ from what the pinned binary produces.
using CodexRuntime.Build;
using CodexRuntime.ProtocolGenerator;

var root = CodexInstaller.FindRepositoryRoot(AppContext.BaseDirectory);

if (!args.Contains("--offline"))
{
    foreach (var version in new[] { ProtocolGeneration.PinnedVersion, ProtocolGeneration.FloorVersion })
    {
        var binary = CodexInstaller.Install(root, version);
        ProtocolGeneration.DumpSchema(binary, ProtocolGeneration.SchemaFolder(root, version));
        Console.WriteLine($"schema {version}: {ProtocolGeneration.SchemaFolder(root, version)}");
    }
}

var output = ProtocolGeneration.OutputFolder(root);
foreach (var folder in new[] { ".", "Protocol", "Serialization" })
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
