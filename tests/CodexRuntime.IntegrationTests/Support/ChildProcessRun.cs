using System.Diagnostics;
using System.Reflection;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.IntegrationTests.Support;

/// <summary>Runs a program to its end within a deadline, reading stdout and stderr completely; a program past the deadline is killed (its tree too).</summary>
internal static class ChildProcessRun
{
    /// <summary>The outcome; <paramref name="TimedOut"/> when the deadline passed and the process was killed.</summary>
    public sealed record Result(int ExitCode, string Output, string Errors, bool TimedOut)
    {
        /// <summary>Everything it said, for a failure message.</summary>
        public string Report => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Errors}";
    }

    /// <summary>
    /// Runs a built sample the way a user runs it: <c>dotnet samples/NAME/bin/CONFIGURATION/net10.0/NAME.dll</c> in an
    /// empty temporary folder (deleted afterwards), codex from <c>CODEX_CLI_PATH</c>. The configuration is the test
    /// assembly's own, so a Release test run uses the Release sample.
    /// </summary>
    public static async Task<Result> RunSampleAsync(string name, string codexBinary, Assembly testAssembly, TimeSpan deadline)
    {
        var configuration = testAssembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepositoryLayout.Root, "samples", name, "bin", configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build the solution or this test project (it builds the sample) first.");
        var folder = Directory.CreateTempSubdirectory("codex-sample-");
        try
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { WorkingDirectory = folder.FullName };
            start.ArgumentList.Add(dll);
            start.Environment["CODEX_CLI_PATH"] = codexBinary;
            return await RunAsync(start, deadline);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

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
