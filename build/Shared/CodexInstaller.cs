using System.Diagnostics;

namespace CodexRuntime.Build;

/// <summary>
/// Runs build/install-codex.sh (idempotent; fast when the version is already there) and returns the native binary's
/// path. Linked into the build tools and the integration tests, so there is one way to get a pinned codex.
/// </summary>
internal static class CodexInstaller
{
    /// <summary>Installs (or finds) codex <paramref name="version"/> below <paramref name="repositoryRoot"/>.</summary>
    public static string Install(string repositoryRoot, string version)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(repositoryRoot, "build", "install-codex.sh"));
        start.ArgumentList.Add(version);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started.");
        var stderr = process.StandardError.ReadToEndAsync();
        var path = process.StandardOutput.ReadToEnd().Trim();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"build/install-codex.sh {version} did not finish within 10 minutes.");
        }

        if (process.ExitCode != 0 || !File.Exists(path))
        {
            throw new InvalidOperationException($"build/install-codex.sh {version} failed (exit {process.ExitCode}): {stderr.Result}");
        }

        return path;
    }

    /// <summary>The repository root: the first folder above <paramref name="start"/> holding CodexRuntime.sln.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "CodexRuntime.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("Run from inside the CodexRuntime repository (CodexRuntime.sln not found above " + start + ").");
    }
}
