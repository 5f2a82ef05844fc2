using CodexRuntime.Artifact.Patching;
using CodexRuntime.Artifact.Tests.Support;

namespace CodexRuntime.Artifact.Tests;

/// <summary>samples/Artifact, run the way a user runs it (<c>dotnet Artifact.dll</c>, codex from <c>CODEX_CLI_PATH</c>), on both ends of the range.</summary>
public sealed class SampleTests
{
    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task The_artifact_sample_generates_edits_undoes_redoes_and_diffs(string version)
    {
        using var folder = new TempFolder("artifact-sample-");
        await using var sample = ChildProcess.Start(ChildProcess.BuiltDll("samples", "Artifact"), [], folder.Path,
            new Dictionary<string, string> { ["CODEX_CLI_PATH"] = await CodexVersions.BinaryAsync(version) });
        var (exitCode, lines) = await sample.WaitForExitAsync();
        var output = string.Join("\n", lines);

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{output}\n--- stderr ---\n{sample.Errors}");
        Assert.Matches(@"model:\s+FakeModelServer at http://127\.0\.0\.1:\d+/v1 \(offline: nothing leaves this machine\)", output);
        var draft = "# Release notes 2.0\n\n- The parser is faster.\n- Startup takes less memory.\n";
        var final = "# Release notes 2.0\n\n- The parser is twice as fast.\n- Startup takes less memory.\n- Binaries are smaller.\n";
        var (first, second) = (DocPatches.ComputeRevision(draft), DocPatches.ComputeRevision(final));
        Assert.Contains($"generated: revision {first} \"Release notes 2.0\" (markdown, 4 lines)", lines);
        Assert.Contains($"edited:    revision {second} (from {first}, 2 edits: Quantified the parser speed-up and added the binary size.)", lines);
        Assert.Matches($@"stored:    revision {second}, thread \S+, 3 revisions kept", output);
        Assert.Contains("--- text ---\n" + final + "------------", output + "\n", StringComparison.Ordinal);
        Assert.Matches(@"opened:    artifact release-notes on codex thread \S+ \(resumed: False\)", output);

        // Undo, undo, redo: back to the draft, back to the empty text, forward to the draft; each a new save.
        var empty = DocPatches.ComputeRevision(string.Empty);
        Assert.Contains($"undo:      revision {first} (save 4: the generated text again)", lines);
        Assert.Contains($"undo:      revision {empty} (save 5: the empty text the artifact was opened with)", lines);
        Assert.Contains($"redo:      revision {first} (save 6: the generated text, 4 lines)", lines);
        Assert.Contains($"  save 6: Redo {first[..19]}... undo to 5, redo to 3", lines);
        Assert.Contains($"  save 3: Save {second[..19]}... undo to 2, redo to 0", lines);
        Assert.Contains("diff:      generated -> edited, 1 lines deleted, 2 inserted", lines);
        Assert.Contains(
            "--- generated\n+++ edited\n@@ -1,4 +1,5 @@\n # Release notes 2.0\n \n-- The parser is faster.\n+- The parser is twice as fast.\n - Startup takes less memory.\n+- Binaries are smaller.",
            output, StringComparison.Ordinal);
    }
}
