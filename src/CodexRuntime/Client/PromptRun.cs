
namespace CodexRuntime;

/// <summary>
/// A one-off run on a client (<see cref="CodexClient.RunAsync"/>): the run's interception around everything
/// (<see cref="CodexRunPhase.PreRun"/> can rewrite the prompt and the model), a new thread, one turn, then the thread
/// archived whatever happened. Apart from the client, which keeps opening and recovering sessions.
/// </summary>
internal static class PromptRun
{
    /// <summary>Runs <paramref name="prompt"/> once in a new thread of <paramref name="client"/>.</summary>
    public static async Task<PromptRunResult> RunAsync(CodexClient client, string cwd, CodexPrompt prompt, RunProfile? profile, CancellationToken cancellationToken)
    {
        var config = new SessionConfig(cwd, (profile ?? client.Config.DefaultProfile).Clone());
        var interception = CodexRunInterception.For(client.Config, config.Profile!, client.Runtime.TimeProvider);
        if (!interception.IsEmpty)
        {
            // PreRun can rewrite the prompt and the model of the whole run before anything starts.
            var pre = await interception.PreAsync(interception.Context(CodexRunPhase.PreRun, config.Cwd, null, null, prompt.Text, config.Profile!.Model, [.. prompt.Attachments]), cancellationToken).ConfigureAwait(false);
            config.Profile!.Model = pre.Model;
            prompt = prompt.With(pre.Prompt ?? prompt.Text, pre.Attachments);
        }

        PromptRunResult result;
        try
        {
            var session = await client.OpenNewSessionAsync(config, interception, cancellationToken).ConfigureAwait(false);
            try
            {
                result = await session.AskAsync(prompt, interception, cancellationToken).ConfigureAwait(false);
            }
            catch (CodexRunException runFailure)
            {
                runFailure.ShutdownFailure = await client.TryCloseAsync(session).ConfigureAwait(false);
                throw;
            }
            catch
            {
                await client.TryCloseAsync(session).ConfigureAwait(false);
                throw;
            }

            if (await client.TryCloseAsync(session).ConfigureAwait(false) is { } archiveFailure)
            {
                throw new CodexShutdownException("archiving the thread", result, archiveFailure);
            }
        }
        catch (Exception ex) when (!interception.IsEmpty && ex is CodexException or OperationCanceledException)
        {
            await interception.PostAsync(interception.Context(CodexRunPhase.PostRun, config.Cwd, null, null, prompt.Text, config.Profile!.Model, error: ex), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (interception.IsEmpty)
        {
            return result;
        }

        await interception.PostAsync(interception.Context(CodexRunPhase.PostRun, config.Cwd, result.ThreadId, result.TurnId, prompt.Text, config.Profile!.Model, result: result), cancellationToken).ConfigureAwait(false);
        return result with { Interceptions = interception.Report };
    }
}
