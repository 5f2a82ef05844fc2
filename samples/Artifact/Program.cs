// Artifacts (CodexRuntime.Artifact): codex writes a document, then edits it with a line patch; each save is a new
// revision in a file store, and the artifact's codex thread is stored with it. Then undo, undo, redo through the kept
// revisions, and a line diff between two of them. Offline: codex talks to
// CodexRuntime.Testing's FakeModelServer, which answers the JSON the task schemas ask for.
//
// Usage: dotnet run --project samples/Artifact
using System.Text.Json.Nodes;
using CodexRuntime;
using CodexRuntime.Artifact;
using CodexRuntime.Artifact.Patching;
using CodexRuntime.Testing;

await using var model = FakeModelServer.Start();
using var home = TemporaryCodexHome.Create(model);   // approval never, read-only sandbox
var folder = Directory.CreateTempSubdirectory("codex-artifact-sample-").FullName;
try
{
    const string Draft = "# Release notes 2.0\n\n- The parser is faster.\n- Startup takes less memory.\n";
    model.Enqueue(
        // DocGenerate: the whole document as { format, title, text }.
        FakeModelResponse.Text(new JsonObject { ["format"] = "markdown", ["title"] = "Release notes 2.0", ["text"] = Draft }.ToJsonString()),
        // DocEdit: a patch against the revision the prompt named (read from the request, as a model would: the last
        // one, since the request also carries the thread's earlier turn).
        FakeModelResponse.FromRequest("a patch for the prompt's revision", request =>
        {
            var revision = System.Text.RegularExpressions.Regex.Matches(request.Body, @"revision: (sha256:[0-9a-f]{64})")[^1].Groups[1].Value;
            return FakeModelResponse.Text(new JsonObject
            {
                ["format"] = "markdown",
                ["expectedRevision"] = revision,
                ["edits"] = new JsonArray(
                    new JsonObject { ["startLine"] = 3, ["endLine"] = 4, ["replacement"] = "- The parser is twice as fast.\n" },
                    new JsonObject { ["startLine"] = 5, ["endLine"] = 5, ["replacement"] = "- Binaries are smaller.\n" }),
                ["notes"] = "Quantified the parser speed-up and added the binary size.",
            }.ToJsonString());
        }));

    var config = new ClientConfig();
    home.ApplyTo(config.Runtime.Process);   // codex from CODEX_CLI_PATH or PATH; CODEX_HOME points at the fake model
    Console.WriteLine($"model:     FakeModelServer at {model.BaseUrl} (offline: nothing leaves this machine)");

    await using var client = new CodexClient(config);
    var store = new FsArtifactStore(Path.Combine(folder, "artifacts"));
    await using var artifacts = new ArtifactSessionManager(client, store, new ArtifactOptions { WorkingDirectory = folder });

    var opened = await artifacts.OpenAsync("release-notes");
    Console.WriteLine($"opened:    artifact release-notes on codex thread {opened.ThreadId} (resumed: {opened.Resumed})");

    var generated = (DocGenerateResult)await artifacts.RunTaskAsync(new ArtifactTaskSpec("release-notes", ArtifactTaskKind.DocGenerate, "Write the release notes of version 2.0.")
    {
        Constraints = ["Markdown, one bullet per change."],
    });
    Console.WriteLine($"generated: revision {generated.Revision} \"{generated.Title}\" ({generated.Format}, {DocPatches.CountLines(generated.Text)} lines)");

    var edited = (DocEditResult)await artifacts.RunTaskAsync(new ArtifactTaskSpec("release-notes", ArtifactTaskKind.DocEdit, "Say how much faster the parser is, and mention the smaller binaries."));
    Console.WriteLine($"edited:    revision {edited.Revision} (from {edited.PreviousRevision}, {edited.Patch.Edits.Count} edits: {edited.Notes})");

    var stored = await store.LoadAsync("release-notes");
    Console.WriteLine($"stored:    revision {stored!.Revision}, thread {stored.Meta.RuntimeThreadId}, {(await store.ListRevisionsAsync("release-notes")).Count} revisions kept");
    Console.WriteLine("--- text ---");
    Console.Write(stored.Text);
    Console.WriteLine("------------");

    // Undo walks back one step at a time (each step is a new save, so other processes see it); redo walks forward.
    var undone = await artifacts.UndoAsync("release-notes");
    Console.WriteLine($"undo:      revision {undone.Revision} (save {undone.Meta.Sequence}: the generated text again)");
    undone = await artifacts.UndoAsync("release-notes");
    Console.WriteLine($"undo:      revision {undone.Revision} (save {undone.Meta.Sequence}: the empty text the artifact was opened with)");
    var redone = await artifacts.RedoAsync("release-notes");
    Console.WriteLine($"redo:      revision {redone.Revision} (save {redone.Meta.Sequence}: the generated text, {DocPatches.CountLines(redone.Text)} lines)");

    foreach (var revision in await artifacts.ListRevisionsAsync("release-notes"))
    {
        Console.WriteLine($"  save {revision.Sequence}: {revision.Change,-4} {revision.Revision[..19]}... undo to {revision.UndoSequence}, redo to {revision.RedoSequence}");
    }

    // A line diff between any two kept revisions, rendered as a unified diff.
    var diff = await artifacts.DiffAsync("release-notes", generated.Revision, edited.Revision);
    Console.WriteLine($"diff:      generated -> edited, {diff.DeletedLines} lines deleted, {diff.InsertedLines} inserted");
    Console.Write(diff.ToUnifiedDiff("generated", "edited"));
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}
