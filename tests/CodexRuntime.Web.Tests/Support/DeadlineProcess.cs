using System.Diagnostics;

namespace CodexRuntime.Web.Tests.Support;

/// <summary>
/// Runs a child process to its end within a deadline: its stdin is written and closed, its stdout and stderr are
/// collected. When the deadline passes, its whole process tree is killed and reaped before the failure is reported,
/// so no test leaves a node or npm behind.
/// </summary>
internal static class DeadlineProcess
{
    /// <summary>What a finished process left.</summary>
    public readonly record struct Outcome(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <paramref name="start"/> (its redirections are set here) and waits for its exit.</summary>
    /// <exception cref="TimeoutException">It was still running at the deadline (it has been killed).</exception>
    public static async Task<Outcome> RunAsync(ProcessStartInfo start, string? stdin, TimeSpan deadline)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            try
            {
                if (stdin is not null)
                {
                    await process.StandardInput.WriteAsync(stdin).WaitAsync(deadline);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It exited without reading its input (a usage error): its exit code and stderr say why.
            }

            await process.WaitForExitAsync().WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            // Reaped, and its pipes drained, before anyone looks at what it printed.
            await process.WaitForExitAsync();
            throw new TimeoutException(
                $"{start.FileName} {string.Join(' ', start.ArgumentList)} was still running after {deadline.TotalSeconds} s and was killed.\n" +
                $"stderr: {await stderr}\nstdout: {await stdout}");
        }

        return new Outcome(process.ExitCode, await stdout, await stderr);
    }
}
