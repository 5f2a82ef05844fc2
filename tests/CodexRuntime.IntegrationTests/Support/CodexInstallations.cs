using System.Collections.Concurrent;
using System.Diagnostics;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.IntegrationTests.Support;

/// <summary>
/// The real codex binaries, installed on first use by build/install-codex.sh (idempotent, fast when present). A
/// failed install fails the test: these tests never skip, because a skipped real-binary test proves nothing.
/// </summary>
internal static class CodexInstallations
{
    public const string Newest = "0.169.0";
    public const string Floor = "0.104.0";

    /// <summary>Every supported end of the range; real-binary tests are theories over these.</summary>
    public static TheoryData<string> Versions => new() { Newest, Floor };

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Installs = new();

    public static Task<string> GetBinaryAsync(string version) =>
        Installs.GetOrAdd(version, v => new Lazy<Task<string>>(() => InstallAsync(v))).Value;

    private static async Task<string> InstallAsync(string version)
    {
        var script = Path.Combine(RepositoryLayout.Root, "build", "install-codex.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(version);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(deadline.Token);
        var path = (await stdout).Trim();
        if (process.ExitCode != 0 || !File.Exists(path))
        {
            throw new InvalidOperationException($"build/install-codex.sh {version} failed (exit {process.ExitCode}): {await stderr}");
        }

        return path;
    }
}
