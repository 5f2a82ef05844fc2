using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace CodexRuntime.Hooks.Shell;

/// <summary>
/// Runs one shell command as a hook: input on stdin only (then stdin is closed), stdout and stderr drained
/// concurrently, the process awaited (and so reaped) without blocking a thread; past the deadline, or when the caller
/// cancels, the whole process tree is killed. A run past its deadline is reported in the result, not thrown: the
/// hook names the timeout in its own public exception.
/// </summary>
internal static class ShellProcess
{
    /// <summary>How long to wait, after a kill, for the tree to close its pipes and the shell to be reaped.</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    public static async Task<ShellProcessResult> RunAsync(string command, string? workingDirectory, ReadOnlyMemory<byte> input, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var process = new Process { StartInfo = CreateStartInfo(command, workingDirectory) };
        process.Start();
        var processId = process.Id;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);

        // The readers are not tied to the deadline: after a kill they run to EOF, which comes once every process of
        // the tree holding the pipes is gone. Only if that never happens does the grace period stop them.
        using var drain = new CancellationTokenSource();
        var stdout = process.StandardOutput.ReadToEndAsync(drain.Token);
        var stderr = process.StandardError.ReadToEndAsync(drain.Token);
        try
        {
            await WriteInputAsync(process, input, deadline.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            var outputs = await Task.WhenAll(stdout, stderr).WaitAsync(deadline.Token).ConfigureAwait(false);
            return new ShellProcessResult(processId, process.ExitCode, outputs[0], outputs[1]);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            await KillAsync(process, stdout, stderr, drain).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return ShellProcessResult.TimedOut(processId);
        }
        catch
        {
            await KillAsync(process, stdout, stderr, drain).ConfigureAwait(false);
            throw;
        }
    }

    private static ProcessStartInfo CreateStartInfo(string command, string? workingDirectory)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        if (OperatingSystem.IsWindows())
        {
            // cmd.exe does its own parsing: /s /c "..." runs the text between the outer quotes as typed.
            start.FileName = Environment.GetEnvironmentVariable("ComSpec") ?? "cmd.exe";
            start.Arguments = $"/d /s /c \"{command}\"";
        }
        else
        {
            start.FileName = "/bin/sh";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command);
        }

        return start;
    }

    private static async Task WriteInputAsync(Process process, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        try
        {
            var stdin = process.StandardInput.BaseStream;
            await stdin.WriteAsync(input, cancellationToken).ConfigureAwait(false);
            await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The command exited or closed stdin without reading it all: its choice; its exit code decides.
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // Same: the read end is already gone.
            }
        }
    }

    private static async Task KillAsync(Process process, Task<string> stdout, Task<string> stderr, CancellationTokenSource drain)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Exited on its own in the meantime.
        }

        drain.CancelAfter(KillGrace);
        try
        {
            await process.WaitForExitAsync(drain.Token).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A descendant that left the tree still holds a pipe; disposing the process closes our ends.
        }
    }
}
