using CodexRuntime.Artifact.Patching;
using CodexRuntime.Protocol;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Artifact;

/// <summary>
/// Opens an artifact's codex thread: resumes the thread stored in its meta (a new one when codex lost it), or starts
/// one, always with the artifact rules (<see cref="SessionConfigFor"/>), and stores the thread id (and a repaired
/// revision) before the session is used. Which artifacts are open is the manager's.
/// </summary>
internal sealed partial class ArtifactThreads(CodexClient client, IArtifactStore store, ArtifactOptions options, ILogger logger)
{
    /// <summary>A new session on the artifact's thread; the caller holds the artifact's gate and owns the session.</summary>
    public async Task<OpenArtifact> OpenAsync(string artifactId, CancellationToken cancellationToken)
    {
        var record = await store.LoadAsync(artifactId, cancellationToken).ConfigureAwait(false);
        var meta = record?.Meta ?? new ArtifactMeta(artifactId, ArtifactMeta.DefaultFormat, DocPatches.ComputeRevision(string.Empty), null);
        var config = SessionConfigFor();
        var (session, resumed, previous) = await OpenThreadAsync(artifactId, meta.RuntimeThreadId, config, cancellationToken).ConfigureAwait(false);
        try
        {
            if (record is null || record.RevisionRepaired || meta.RuntimeThreadId != session.ThreadId)
            {
                // Persists the repaired revision and the thread id (a new artifact is created with empty text).
                await store.SaveAsync(artifactId, new ArtifactSave(record?.Revision, record?.Text ?? string.Empty, meta.Title, meta.Format, session.ThreadId), cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new OpenArtifact(session, new ArtifactSession(artifactId, session.ThreadId, resumed, previous), config.Profile!.Model);
    }

    private async Task<(CodexSession Session, bool Resumed, string? PreviousThreadId)> OpenThreadAsync(string artifactId, string? storedThreadId, SessionConfig config, CancellationToken cancellationToken)
    {
        if (storedThreadId is not null)
        {
            try
            {
                var resumed = await client.ResumeSessionAsync(storedThreadId, config, cancellationToken).ConfigureAwait(false);
                if (resumed.ThreadId != storedThreadId)
                {
                    await resumed.DisposeAsync().ConfigureAwait(false);
                    throw new ArtifactException(ArtifactErrorKind.ThreadMismatch, artifactId,
                        $"codex resumed thread {resumed.ThreadId} for artifact '{artifactId}', whose stored thread is {storedThreadId}; the artifact was left as it was.");
                }

                return (resumed, true, null);
            }
            catch (CodexThreadNotFoundException ex)
            {
                // The document is the artifact; the thread is its memory. A lost thread (another CODEX_HOME, archived)
                // costs the memory, not the document: start a new one, say so in the log and on the result.
                Log.ThreadRecreated(logger, artifactId, storedThreadId, ex.Archived?.ToString() ?? "unknown");
                var started = await client.StartSessionAsync(config, cancellationToken).ConfigureAwait(false);
                return (started, false, storedThreadId);
            }
        }

        return (await client.StartSessionAsync(config, cancellationToken).ConfigureAwait(false), false, null);
    }

    /// <summary>
    /// The client's default profile with the artifact rules forced: approval never, read-only sandbox, no escalation,
    /// no approval handlers (never called under never), effort medium, the task timeout.
    /// </summary>
    private SessionConfig SessionConfigFor()
    {
        var profile = client.Config.DefaultProfile.Clone();
        profile.ApprovalPolicy = CodexApprovalPolicy.Never;
        profile.Sandbox = SandboxMode.ReadOnly;
        profile.PrivilegedEscalation = false;
        profile.WritableRoots.Clear();
        profile.Approvals = CodexApprovalHandler.DeclineAll;
        profile.CommandApproval = null;
        profile.FileChangeApproval = null;
        profile.OutputSchema = null;
        profile.Effort = "medium";
        profile.Timeout = options.TaskTimeout;
        var cwd = Path.GetFullPath(options.WorkingDirectory ?? Directory.GetCurrentDirectory());
        if (store is FsArtifactStore files && cwd == files.Root)
        {
            // The store's root (the default under AddArtifacts) is created on the first save, after the thread opens.
            Directory.CreateDirectory(cwd);
        }

        return new SessionConfig(cwd, profile) { DeveloperInstructions = ArtifactPrompt.Role };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Artifact '{ArtifactId}': its thread {ThreadId} is gone from codex (archived: {Archived}); a new thread was started, the document is kept.")]
        public static partial void ThreadRecreated(ILogger logger, string artifactId, string threadId, string archived);
    }
}

/// <summary>An artifact's open session, what the caller was told about it, and the model its turns use.</summary>
internal sealed record OpenArtifact(CodexSession Session, ArtifactSession Info, string? Model);
