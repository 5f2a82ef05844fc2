using System.Diagnostics;
using System.Text;

namespace CodexRuntime.Packaging.Tests;

/// <summary>Runs a command to its end within a deadline, and always reaps it (its whole tree on timeout).</summary>
internal static class CommandLine
{
    /// <summary>Runs <paramref name="fileName"/> in <paramref name="workingDirectory"/>.</summary>
    /// <returns>The exit code and everything it printed (standard output and error interleaved).</returns>
    public static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan deadline, string fileName, params string[] arguments) =>
        RunAsync(workingDirectory, deadline, new Dictionary<string, string>(), fileName, arguments);

    /// <summary>Runs <paramref name="fileName"/> in <paramref name="workingDirectory"/> with <paramref name="environment"/> added to this process's.</summary>
    /// <returns>The exit code and everything it printed (standard output and error interleaved).</returns>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan deadline, IReadOnlyDictionary<string, string> environment, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        void Append(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            // Reap it: the kill is only a request; a second deadline keeps a stuck kill from hanging the test run.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            throw new TimeoutException($"'{fileName} {string.Join(' ', arguments)}' did not finish within {deadline.TotalSeconds} s and was killed. Output:\n{output}");
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
