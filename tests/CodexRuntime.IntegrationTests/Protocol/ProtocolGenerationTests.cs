using System.Text;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.ProtocolGenerator;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.IntegrationTests.Protocol;

/// <summary>
/// The typed protocol is exactly what the pinned codex produces: regenerating from the binaries reproduces every
/// checked-in file byte for byte (so a hand edit fails CI), and the installed codex's schema matches the checked-in one
/// (so a drift is reported method by method and field by field).
/// </summary>
public sealed class ProtocolGenerationTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("codex-schema-test-");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public async Task Regenerating_from_the_pinned_binaries_reproduces_the_checked_in_files_byte_for_byte()
    {
        var pinned = await DumpAsync(ProtocolGeneration.PinnedVersion);
        var floor = await DumpAsync(ProtocolGeneration.FloorVersion);

        var generated = ProtocolGeneration.Generate(RepositoryLayout.Root, ProtocolGeneration.PinnedVersion, pinned, floor);

        var output = ProtocolGeneration.OutputFolder(RepositoryLayout.Root);
        var differences = new List<string>();
        foreach (var (relative, content) in generated)
        {
            var path = Path.Combine(output, relative);
            if (!File.Exists(path))
            {
                differences.Add($"{relative}: missing from the repository");
            }
            else if (!File.ReadAllBytes(path).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(content)))
            {
                differences.Add($"{relative}: differs from what the generator produces (hand-edited, or not regenerated)");
            }
        }

        var stale = ProtocolGeneration.GeneratedFolders
            .Where(folder => Directory.Exists(Path.Combine(output, folder)))
            .SelectMany(folder => Directory.GetFiles(Path.Combine(output, folder), "*.g.cs"))
            .Select(path => Path.GetRelativePath(output, path).Replace('\\', '/'))
            .Where(relative => !generated.ContainsKey(relative));
        differences.AddRange(stale.Select(relative => $"{relative}: generated file the generator no longer produces"));

        Assert.True(differences.Count == 0, $"Run '{ProtocolGeneration.RegenerateCommand}':\n" + string.Join('\n', differences));
        Assert.True(generated.Count >= 4);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Installed_codex_schema_matches_the_checked_in_schema(string version)
    {
        var installed = await DumpAsync(version);

        var drift = SchemaDrift.Compare(ProtocolGeneration.SchemaFolder(RepositoryLayout.Root, version), installed, version);

        Assert.True(drift.Count == 0, $"codex {version} generates a schema that differs from build/schema/{version}:\n{string.Join('\n', drift)}\nRegenerate with '{ProtocolGeneration.RegenerateCommand}' and review the typed API changes.");
    }

    private async Task<string> DumpAsync(string version)
    {
        var binary = await CodexInstallations.GetBinaryAsync(version);
        var folder = Path.Combine(_scratch.FullName, version);
        await Task.Run(() => ProtocolGeneration.DumpSchema(binary, folder));
        return folder;
    }
}
