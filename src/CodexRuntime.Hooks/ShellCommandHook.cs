using CodexRuntime.Hooks.Shell;

namespace CodexRuntime.Hooks;

/// <summary>
/// A hook that runs a shell command (<c>/bin/sh -c</c> on Unix, <c>cmd.exe /d /s /c</c> on Windows) in the run's
/// working directory, writes the hook context to its stdin as one line of JSON (then closes stdin) and reads its
/// decision from stdout. The context never goes into the command line or the environment.
/// </summary>
/// <remarks>
/// <para>
/// An interceptor that takes every phase it is given (register it with a <see cref="HookMatcher"/>, e.g.
/// <see cref="HookBuilder.Shell"/>). In a pre phase: exit 0 with empty stdout is
/// <see cref="CodexInterceptorDecision.Continue"/>; exit 0 with <c>{"action":"noop"}</c>,
/// <c>{"action":"mutate","patch":{...}}</c> or <c>{"action":"block","reason":"..."}</c> is that decision; exit 2 blocks (the reason from stdout's JSON <c>reason</c>, else stderr's first line, else a default); any
/// other exit code, or stdout that is not a decision, throws <see cref="ShellHookException"/>. In a post phase: exit 0 is
/// fine (stdout is ignored); any other exit code throws <see cref="ShellHookException"/>.
/// </para>
/// <para>
/// Past <see cref="Timeout"/> the whole process tree is killed and <see cref="HookTimeoutException"/> is thrown. The
/// core records either exception in the run's <see cref="HookReport"/> and the run goes on. The core's own deadline
/// (<c>ClientConfig.InterceptorTimeout</c>, 30 s by default) still applies: a longer hook timeout is cut short by it
/// (the tree is killed then too). The protocol is in docs/hooks.md.
/// </para>
/// </remarks>
public sealed class ShellCommandHook : ICodexRunInterceptor
{
    /// <summary>Creates the hook.</summary>
    /// <param name="name">The hook's name (reports, errors, deduplication).</param>
    /// <param name="command">The command line, as the shell takes it.</param>
    /// <param name="timeout">How long the command may run; <see cref="DefaultTimeout"/> (5 s) when null.</param>
    public ShellCommandHook(string name, string command, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        var effective = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(effective, TimeSpan.Zero, nameof(timeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(effective, TimeSpan.FromDays(1), nameof(timeout));
        Name = name;
        Command = command;
        Timeout = effective;
    }

    /// <summary>The timeout of a shell hook created without one: 5 s.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The command line.</summary>
    public string Command { get; }

    /// <summary>How long the command may run before its process tree is killed.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    public async ValueTask<CodexInterceptorDecision> InterceptAsync(CodexRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = ShellHookProtocol.Serialize(Name, context);
        var workingDirectory = Directory.Exists(context.Cwd) ? context.Cwd : null;
        var run = await ShellProcess.RunAsync(Command, workingDirectory, input, Timeout, cancellationToken).ConfigureAwait(false);
        if (run.IsTimedOut)
        {
            throw new HookTimeoutException(Name, Timeout, run.ProcessId);
        }

        return (context.IsPre, run.ExitCode) switch
        {
            (true, 0) => ShellHookProtocol.ParseDecision(Name, run),
            (true, 2) => CodexInterceptorDecision.Block(ShellHookProtocol.BlockReason(Name, run)),
            (false, 0) => CodexInterceptorDecision.Continue,
            _ => throw ShellHookProtocol.Failed(Name, run),
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Command}";
}
