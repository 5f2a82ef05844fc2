// Generates src/CodexRuntime/Protocol/*.g.cs from the codex app-server JSON schema.
//
//   dotnet run --project build/ProtocolGenerator                 refresh build/schema/<newest> and <floor> from the codex
//                                                                binaries named in build/codex-versions, then generate
//   dotnet run --project build/ProtocolGenerator -- --offline    generate from the checked-in build/schema only
//   dotnet run --project build/ProtocolGenerator -- --bump X.Y.Z make X.Y.Z the newest: install it, check in its schema,
//                                                                write the drift report against the previous newest,
//                                                                update build/codex-versions, generate (build/bump-codex.sh
//                                                                runs this, then the tests)
//
// The tests in CodexRuntime.IntegrationTests (ProtocolGenerationTests) run the same code and fail when the checked-in
// files differ from what the pinned binary produces.
using CodexRuntime.Build;
using CodexRuntime.ProtocolGenerator;

var root = CodexInstaller.FindRepositoryRoot(AppContext.BaseDirectory);

var bump = Array.IndexOf(args, "--bump") is var at and >= 0 ? (at + 1 < args.Length ? args[at + 1] : null) : "";
if (bump is null || (bump.Length > 0 && !Version.TryParse(bump, out _)))
{
    Console.Error.WriteLine("--bump needs a codex release like 0.171.0.");
    return 2;
}

if (bump.Length > 0)
{
    var previous = ProtocolGeneration.PinnedVersion;
    if (Version.Parse(bump) <= Version.Parse(previous))
    {
        Console.Error.WriteLine($"--bump {bump}: the newest is already {previous}; name a newer release.");
        return 2;
    }

    var binary = CodexInstaller.Install(root, bump);
    var folder = ProtocolGeneration.SchemaFolder(root, bump);
    ProtocolGeneration.DumpSchema(binary, folder);
    var drift = SchemaDrift.Compare(ProtocolGeneration.SchemaFolder(root, previous), folder, bump);
    var report = Path.Combine(folder, $"drift-from-{previous}.txt");
    File.WriteAllText(report, $"# codex {previous} -> {bump}: what the schema changed ({drift.Count} lines)\n" + string.Join('\n', drift) + "\n");
    ProtocolGeneration.WriteNewest(root, bump);
    Console.WriteLine($"schema {bump}: {folder}");
    Console.WriteLine($"drift report: {report}");
    return Generate(root, ProtocolGeneration.Generate(root, bump, folder, ProtocolGeneration.SchemaFolder(root, ProtocolGeneration.FloorVersion)));
}

if (!args.Contains("--offline"))
{
    foreach (var version in new[] { ProtocolGeneration.PinnedVersion, ProtocolGeneration.FloorVersion })
    {
        var binary = CodexInstaller.Install(root, version);
        ProtocolGeneration.DumpSchema(binary, ProtocolGeneration.SchemaFolder(root, version));
        Console.WriteLine($"schema {version}: {ProtocolGeneration.SchemaFolder(root, version)}");
    }
}

return Generate(root, ProtocolGeneration.Generate(
    root,
    ProtocolGeneration.PinnedVersion,
    ProtocolGeneration.SchemaFolder(root, ProtocolGeneration.PinnedVersion),
    ProtocolGeneration.SchemaFolder(root, ProtocolGeneration.FloorVersion)));

static int Generate(string root, IReadOnlyDictionary<string, string> files)
{
    var output = ProtocolGeneration.OutputFolder(root);
    foreach (var folder in ProtocolGeneration.GeneratedFolders.Where(folder => Directory.Exists(Path.Combine(output, folder))))
    {
        foreach (var stale in Directory.GetFiles(Path.Combine(output, folder), "*.g.cs"))
        {
            File.Delete(stale);
        }
    }

    foreach (var (name, content) in files)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(output, name))!);
        File.WriteAllText(Path.Combine(output, name), content);
        Console.WriteLine($"wrote {Path.Combine(output, name)} ({content.Length:N0} chars)");
    }

    return 0;
}
