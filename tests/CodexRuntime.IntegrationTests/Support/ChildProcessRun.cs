using System.Diagnostics;

namespace CodexRuntime.IntegrationTests.Support;

/// <summary>Runs a program to its end within a deadline, reading stdout and stderr completely; a program past the deadline is killed (its tree too).</summary>
internal static class ChildProcessRun
{
    /// <summary>The outcome; <paramref name="TimedOut"/> when the deadline passed and the process was killed.</summary>
    public sealed record Result(int ExitCode, string Output, string Errors, bool TimedOut);

    public static async Task<Result> RunAsync(ProcessStartInfo start, TimeSpan deadline)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timer = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new Result(-1, await output, await errors, TimedOut: true);
        }

        return new Result(process.ExitCode, await output, await errors, TimedOut: false);
    }
}
