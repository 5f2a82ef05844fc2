using System.Text.Json;
using CodexRuntime.Hooks.Shell;

namespace CodexRuntime.Hooks;

/// <summary>The JSON a shell hook reads from stdin and prints on stdout (docs/hooks.md, "Shell hooks").</summary>
internal static class ShellHookProtocol
{
    /// <summary>The context as UTF-8 JSON, one line, newline-terminated.</summary>
    public static byte[] Serialize(string hookName, CodexRunContext context)
    {
        var input = new ShellHookInput
        {
            Hook = hookName,
            Phase = context.Phase.ToString(),
            IsPre = context.IsPre,
            Cwd = context.Cwd,
            ThreadId = context.ThreadId,
            TurnId = context.TurnId,
            Prompt = context.Prompt,
            Model = context.Model,
            Attachments = context.Attachments.Select(ToJson).ToArray(),
            Metadata = context.Metadata,
            Tool = context.Tool is { } tool
                ? new ShellHookTool
                {
                    Tool = tool.Tool,
                    ItemId = tool.ItemId,
                    Command = tool.Command,
                    Cwd = tool.Cwd,
                    Reason = tool.Reason,
                    Status = tool.Status,
                    ExitCode = tool.ExitCode,
                    Output = tool.Output,
                }
                : null,
            Result = context.Result is { } result
                ? new ShellHookResult { Status = Camel(result.Status.ToString()), Text = result.Text, ThreadId = result.ThreadId, TurnId = result.TurnId }
                : null,
            Error = context.Error is { } error ? new ShellHookError { Type = error.GetType().Name, Message = error.Message } : null,
        };
        return [.. JsonSerializer.SerializeToUtf8Bytes(input, ShellHookJsonContext.Default.ShellHookInput), (byte)'\n'];
    }

    /// <summary>The decision of a pre-phase call that exited with 0: empty stdout is continue, otherwise a JSON decision.</summary>
    /// <exception cref="ShellHookException">stdout is not a valid decision.</exception>
    public static CodexInterceptorDecision ParseDecision(string hookName, ShellProcessResult run)
    {
        if (string.IsNullOrWhiteSpace(run.Stdout))
        {
            return CodexInterceptorDecision.Continue;
        }

        var decision = Deserialize(hookName, run);
        switch (decision.Action?.Trim().ToLowerInvariant())
        {
            case "noop":
                return CodexInterceptorDecision.Continue;
            case "block":
                return CodexInterceptorDecision.Block(string.IsNullOrWhiteSpace(decision.Reason) ? DefaultBlockReason(hookName, run.ExitCode) : decision.Reason);
            case "mutate" when decision.Patch is { } patch:
                return CodexInterceptorDecision.Mutate(ToPatch(hookName, run, patch));
            case "mutate":
                throw Invalid(hookName, run, "\"action\":\"mutate\" without a \"patch\" object");
            default:
                throw Invalid(hookName, run, $"\"action\" is {(decision.Action is null ? "missing" : $"'{decision.Action}'")}; use noop, mutate or block");
        }
    }

    /// <summary>The block reason of a hook that exited with 2: stdout's JSON <c>reason</c>, else stderr's first line, else a default.</summary>
    public static string BlockReason(string hookName, ShellProcessResult run)
    {
        if (!string.IsNullOrWhiteSpace(run.Stdout))
        {
            try
            {
                if (JsonSerializer.Deserialize(run.Stdout, ShellHookJsonContext.Default.ShellHookDecision)?.Reason is { } reason && !string.IsNullOrWhiteSpace(reason))
                {
                    return reason;
                }
            }
            catch (JsonException)
            {
                // Exit 2 blocks whatever stdout says; the reason then comes from stderr.
            }
        }

        return run.StderrFirstLine ?? DefaultBlockReason(hookName, run.ExitCode);
    }

    /// <summary>The error of a hook that exited with a code that is not its protocol's.</summary>
    public static ShellHookException Failed(string hookName, ShellProcessResult run) =>
        new(hookName, run.ExitCode, $"Shell hook '{hookName}' exited with code {run.ExitCode} (pid {run.ProcessId}): {run.StderrFirstLine ?? "(no stderr)"}");

    private static string DefaultBlockReason(string hookName, int exitCode) => $"blocked by shell hook '{hookName}' (exit code {exitCode})";

    private static ShellHookDecision Deserialize(string hookName, ShellProcessResult run)
    {
        try
        {
            return JsonSerializer.Deserialize(run.Stdout, ShellHookJsonContext.Default.ShellHookDecision)
                ?? throw Invalid(hookName, run, "stdout is JSON null");
        }
        catch (JsonException ex)
        {
            // The message names the position, never the text (stdout may echo the prompt).
            throw Invalid(hookName, run, $"stdout is not a JSON decision (line {ex.LineNumber}, byte {ex.BytePositionInLine})", ex);
        }
    }

    private static CodexRunPatch ToPatch(string hookName, ShellProcessResult run, ShellHookPatch patch)
    {
        try
        {
            return new CodexRunPatch
            {
                Prompt = patch.Prompt,
                Model = patch.Model,
                Metadata = patch.Metadata ?? new Dictionary<string, string>(StringComparer.Ordinal),
                AddedAttachments = (patch.Attachments ?? []).Select(FromJson).ToArray(),
            };
        }
        catch (ArgumentException ex)
        {
            throw Invalid(hookName, run, $"patch.attachments: {ex.Message}", ex);
        }
    }

    private static ShellHookAttachment ToJson(CodexAttachment attachment) => attachment.Kind == CodexAttachmentKind.ImageUrl
        ? new ShellHookAttachment { Type = Camel(attachment.Kind.ToString()), Url = attachment.Value }
        : new ShellHookAttachment { Type = Camel(attachment.Kind.ToString()), Path = attachment.Value, Name = attachment.Name };

    private static CodexAttachment FromJson(ShellHookAttachment attachment) => attachment.Type?.ToLowerInvariant() switch
    {
        "file" => CodexAttachment.File(attachment.Path!, attachment.Name),
        "localimage" => CodexAttachment.LocalImage(attachment.Path!),
        "imageurl" => CodexAttachment.ImageUrl(attachment.Url!),
        "skill" => CodexAttachment.Skill(attachment.Name!, attachment.Path!),
        _ => throw new ArgumentException($"type '{attachment.Type}' is not file, localImage, imageUrl or skill"),
    };

    private static ShellHookException Invalid(string hookName, ShellProcessResult run, string problem, Exception? inner = null) =>
        new(hookName, run.ExitCode, $"Shell hook '{hookName}' printed an invalid decision: {problem}.", inner);

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
}
