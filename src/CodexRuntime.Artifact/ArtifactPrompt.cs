using System.Text;
using CodexRuntime.Artifact.Patching;

namespace CodexRuntime.Artifact;

/// <summary>
/// The prompt of one artifact task, in fixed sections: ROLE, GOAL, CONSTRAINTS, CONTEXT (format and revision),
/// EXAMPLES, then the current text between CURRENT_TEXT_BEGIN and CURRENT_TEXT_END, exactly as stored.
/// </summary>
internal static class ArtifactPrompt
{
    public const string Role = "You are a documentation engine. You use no tools and run no commands. You answer with one JSON object that matches the output schema, and nothing else.";

    public static string Build(ArtifactTaskSpec spec, ArtifactMeta meta, string currentText)
    {
        var prompt = new StringBuilder();
        prompt.Append("ROLE:\n").Append(Role).Append("\n\n");
        prompt.Append("GOAL:\n").Append(spec.UserGoal.Trim()).Append("\n\n");
        List("CONSTRAINTS", spec.Constraints, prompt);
        prompt.Append("CONTEXT:\n")
            .Append("- task: ").Append(spec.Kind).Append('\n')
            .Append("- artifact: ").Append(spec.ArtifactId).Append('\n')
            .Append("- title: ").Append(meta.Title).Append('\n')
            .Append("- format: ").Append(meta.Format).Append('\n')
            .Append("- revision: ").Append(DocPatches.ComputeRevision(currentText)).Append('\n')
            .Append("- lines: ").Append(DocPatches.CountLines(currentText)).Append('\n');
        prompt.Append(spec.Kind switch
        {
            ArtifactTaskKind.DocGenerate => "- answer: the whole document as `text`, with its `title` and `format`.\n",
            ArtifactTaskKind.DocEdit => "- answer: a line patch of CURRENT_TEXT. `expectedRevision` is the revision above. Lines are 1-based; `endLine` is exclusive; `startLine == endLine` inserts before that line (lines + 1 appends); edits are sorted by `startLine` and do not overlap; each `replacement` carries its own line endings.\n",
            _ => "- answer: JSON for the goal.\n",
        });
        prompt.Append('\n');
        List("EXAMPLES", spec.Examples, prompt);
        prompt.Append("CURRENT_TEXT_BEGIN\n").Append(currentText);
        if (currentText.Length > 0 && currentText[^1] != '\n')
        {
            prompt.Append('\n'); // the end marker on a line of its own; the text itself is unchanged (its revision says so)
        }

        return prompt.Append("CURRENT_TEXT_END\n").ToString();
    }

    private static void List(string section, IReadOnlyList<string> items, StringBuilder prompt)
    {
        prompt.Append(section).Append(":\n");
        var any = false;
        foreach (var item in items)
        {
            if (!string.IsNullOrWhiteSpace(item))
            {
                prompt.Append("- ").Append(item.Trim()).Append('\n');
                any = true;
            }
        }

        if (!any)
        {
            prompt.Append("- none\n");
        }

        prompt.Append('\n');
    }
}
