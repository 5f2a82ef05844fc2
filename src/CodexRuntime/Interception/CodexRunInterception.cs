using System.Diagnostics;

namespace CodexRuntime;

/// <summary>
/// The interceptors of one run and the run's own report: calls them phase by phase (in order, each with a deadline,
/// never letting one that throws or hangs stop the run), applies their changes, and records every call.
/// </summary>
internal sealed class CodexRunInterception
{
    private static readonly string DefaultTimeoutMessage = new TimeoutException().Message;

    private readonly IReadOnlyList<ICodexRunInterceptor> _interceptors;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly List<CodexInterceptionRecord> _report = [];
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private CodexRunInterception(IReadOnlyList<ICodexRunInterceptor> interceptors, TimeSpan timeout, TimeProvider time)
    {
        _interceptors = interceptors;
        _timeout = timeout;
        _time = time;
    }

    /// <summary>True when there is nothing to call (the common case: every phase is skipped at no cost).</summary>
    public bool IsEmpty => _interceptors.Count == 0;

    /// <summary>The run's report so far.</summary>
    public IReadOnlyList<CodexInterceptionRecord> Report
    {
        get
        {
            lock (_gate)
            {
                return _report.ToArray();
            }
        }
    }

    /// <summary>Metadata interceptors passed along so far.</summary>
    public IReadOnlyDictionary<string, string> Metadata
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_metadata, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The client's global interceptors, then the profile's; a run-scoped one replaces a global one of the same name.</summary>
    public static CodexRunInterception For(ClientConfig client, RunProfile profile, TimeProvider time)
    {
        var combined = new List<ICodexRunInterceptor>(client.Interceptors);
        foreach (var scoped in profile.Interceptors)
        {
            var index = combined.FindIndex(existing => existing.Name == scoped.Name);
            if (index >= 0)
            {
                combined[index] = scoped;
            }
            else
            {
                combined.Add(scoped);
            }
        }

        return new CodexRunInterception(combined, client.InterceptorTimeout, time);
    }

    /// <summary>
    /// A pre phase of the run itself (run, session start, turn): the context as changed by the interceptors, or
    /// <see cref="CodexRunBlockedException"/> at the first block.
    /// </summary>
    public async Task<CodexRunContext> PreAsync(CodexRunContext context, CancellationToken cancellationToken)
    {
        if (IsEmpty)
        {
            return context;
        }

        var (changed, block) = await CallPreAsync(context, cancellationToken).ConfigureAwait(false);
        if (block is { } blocked)
        {
            throw new CodexRunBlockedException(blocked.Interceptor, context.Phase, blocked.Message!, Report, context.ThreadId);
        }

        return changed;
    }

    /// <summary>PreToolUse: the first block, if any (the caller declines the tool); changes are recorded, not applied.</summary>
    public async Task<CodexInterceptionRecord?> PreToolAsync(CodexRunContext context, CancellationToken cancellationToken) =>
        IsEmpty ? null : (await CallPreAsync(context, cancellationToken).ConfigureAwait(false)).Block;

    /// <summary>A post phase: every interceptor observes; decisions are ignored.</summary>
    public async Task PostAsync(CodexRunContext context, CancellationToken cancellationToken)
    {
        if (IsEmpty)
        {
            return;
        }

        foreach (var interceptor in _interceptors)
        {
            if (interceptor.Handles(context.Phase))
            {
                await CallAsync(interceptor, context with { Metadata = Metadata }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A context for this run's phase, carrying the metadata passed along so far.</summary>
    public CodexRunContext Context(CodexRunPhase phase, string cwd, string? threadId, string? turnId, string? prompt, string? model, IReadOnlyList<CodexAttachment>? attachments = null, CodexToolUse? tool = null, PromptRunResult? result = null, Exception? error = null) =>
        new(phase, cwd, threadId, turnId, prompt, model, attachments ?? [], Metadata, tool, result, error);

    private async Task<(CodexRunContext Context, CodexInterceptionRecord? Block)> CallPreAsync(CodexRunContext context, CancellationToken cancellationToken)
    {
        foreach (var interceptor in _interceptors)
        {
            if (!interceptor.Handles(context.Phase))
            {
                continue;
            }

            var (record, decision) = await CallAsync(interceptor, context, cancellationToken).ConfigureAwait(false);
            if (record.Outcome == CodexInterceptionOutcome.Blocked)
            {
                return (context, record);
            }

            if (decision?.Patch is { } patch)
            {
                context = Apply(context, patch);
            }
        }

        return (context, null);
    }

    private CodexRunContext Apply(CodexRunContext context, CodexRunPatch patch)
    {
        lock (_gate)
        {
            foreach (var (key, value) in patch.Metadata)
            {
                _metadata[key] = value;
            }
        }

        return context with
        {
            Prompt = patch.Prompt ?? context.Prompt,
            Model = patch.Model ?? context.Model,
            Attachments = patch.AddedAttachments.Count == 0 ? context.Attachments : [.. context.Attachments, .. patch.AddedAttachments],
            Metadata = Metadata,
        };
    }

    private async Task<(CodexInterceptionRecord Record, CodexInterceptorDecision? Decision)> CallAsync(ICodexRunInterceptor interceptor, CodexRunContext context, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        CodexInterceptionRecord record;
        CodexInterceptorDecision? decision = null;
        try
        {
            // WaitAsync: an interceptor that ignores its token still cannot hold the run past the deadline.
            decision = await interceptor.InterceptAsync(context, deadline.Token).AsTask().WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false)
                ?? CodexInterceptorDecision.Continue;
            var outcome = context.IsPre ? decision.Outcome : CodexInterceptionOutcome.Continued;
            record = new CodexInterceptionRecord(interceptor.Name, context.Phase, outcome, outcome == CodexInterceptionOutcome.Blocked ? decision.Reason : null, Stopwatch.GetElapsedTime(started), context.Tool);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // An interceptor's own timeout (a shell hook that killed its process) says more than the generic one.
            var message = ex is TimeoutException && ex.Message != DefaultTimeoutMessage ? ex.Message : $"no answer within {_timeout.TotalSeconds:0.###} s";
            record = new CodexInterceptionRecord(interceptor.Name, context.Phase, CodexInterceptionOutcome.TimedOut, message, Stopwatch.GetElapsedTime(started), context.Tool);
            decision = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            record = new CodexInterceptionRecord(interceptor.Name, context.Phase, CodexInterceptionOutcome.Failed, $"{ex.GetType().Name}: {ex.Message}", Stopwatch.GetElapsedTime(started), context.Tool);
            decision = null;
        }

        lock (_gate)
        {
            _report.Add(record);
        }

        return (record, decision);
    }
}
