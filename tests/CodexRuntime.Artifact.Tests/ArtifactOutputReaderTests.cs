using CodexRuntime.Artifact.Patching;
using CodexRuntime.Protocol;

namespace CodexRuntime.Artifact.Tests;

/// <summary>Where a task's answer is read from, and what each kind requires of it.</summary>
public sealed class ArtifactOutputReaderTests
{
    [Fact]
    public void The_final_message_is_the_structured_output_even_after_other_messages()
    {
        var result = Result("""{"a":1}""", "Thinking out loud.", """{"a":2}""");
        Assert.Equal(2, ArtifactOutputReader.FindJson(result)!.Value.GetProperty("a").GetInt32());
    }

    [Fact]
    public void A_fenced_block_that_is_not_JSON_is_skipped_for_the_first_that_is()
    {
        var text = "Here you go.\n```text\n{ not json\n```\nand\n```json\n{\"title\":\"T\"}\n```\n```json\n{\"title\":\"second\"}\n```\n";
        Assert.Equal("T", ArtifactOutputReader.FindJson(Result(text))!.Value.GetProperty("title").GetString());
        Assert.Equal("T", ArtifactOutputReader.FirstFencedJson(text.Replace("\n", "\r\n", StringComparison.Ordinal))!.Value.GetProperty("title").GetString());
    }

    [Fact]
    public void An_answer_without_JSON_has_none()
    {
        Assert.Null(ArtifactOutputReader.FindJson(Result("No JSON here.\n```\nplain\n```")));
    }

    [Fact]
    public void DocGenerate_requires_format_title_and_text_as_strings()
    {
        var ok = ArtifactOutputReader.ReadGenerate("a", Json("""{"format":"markdown","title":"T","text":"x\n"}"""));
        Assert.Equal(("markdown", "T", "x\n"), ok);
        foreach (var bad in new[] { """{"title":"T","text":"x"}""", """{"format":"m","title":1,"text":"x"}""", """{"format":"m","title":"T"}""", "[1]" })
        {
            var error = Assert.Throws<ArtifactException>(() => ArtifactOutputReader.ReadGenerate("a", Json(bad)));
            Assert.Equal(ArtifactErrorKind.InvalidOutput, error.Kind);
        }
    }

    [Fact]
    public void DocEdit_requires_format_expectedRevision_and_edits_and_reads_them_as_a_patch()
    {
        var patch = ArtifactOutputReader.ReadEdit("a", Json("""{"format":"markdown","expectedRevision":"sha256:00","edits":[{"startLine":1,"endLine":2,"replacement":"x\n"}],"notes":null}"""));
        Assert.Equal(("markdown", "sha256:00", (string?)null), (patch.Format, patch.ExpectedRevision, patch.Notes));
        Assert.Equal([new DocPatchEdit(1, 2, "x\n")], patch.Edits);
        foreach (var bad in new[]
        {
            """{"expectedRevision":"r","edits":[]}""",
            """{"format":"m","edits":[]}""",
            """{"format":"m","expectedRevision":"r"}""",
            """{"format":"m","expectedRevision":"r","edits":[{"startLine":1,"endLine":"2","replacement":""}]}""",
            """{"format":"m","expectedRevision":"r","edits":[{"startLine":1,"endLine":2}]}""",
        })
        {
            Assert.Equal(ArtifactErrorKind.InvalidOutput, Assert.Throws<ArtifactException>(() => ArtifactOutputReader.ReadEdit("a", Json(bad))).Kind);
        }
    }

    private static System.Text.Json.JsonElement Json(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static PromptRunResult Result(params string[] messages) => new(
        "thread", "turn", TurnStatus.Completed, string.Join("\n\n", messages),
        messages.Select((m, i) => (ThreadItem)new AgentMessageThreadItem { Id = $"m{i}", Text = m }).ToArray(),
        null, null, null, TimeSpan.Zero);
}
