using System.IO.Compression;
using CodexRuntime.Web;

namespace CodexRuntime.Orleans;

/// <summary>
/// The codex threads' rollouts under this silo's CODEX_HOME (<c>sessions/YYYY/MM/DD/rollout-…-{thread}.jsonl</c>,
/// the file codex resumes a thread from): read one to keep it with the session's record, write one back on the silo
/// that resumes the session. A copy, not shared storage: each silo keeps its own CODEX_HOME.
/// </summary>
internal sealed class Rollouts(WebAdapter web)
{
    /// <summary>This silo's CODEX_HOME: as codex reports it (0.169.0 and later), else as the client started it.</summary>
    private string Home =>
        ReportedHome()
        ?? web.Client.Config.Runtime.Process.CodexHome
        ?? Environment.GetEnvironmentVariable("CODEX_HOME")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".codex");

    /// <summary>The thread's rollout (its path under CODEX_HOME and its gzip bytes), or null when codex has none yet.</summary>
    public (string Path, byte[] Gzip)? Read(string threadId, string? knownPath)
    {
        var home = Home;
        var file = knownPath is not null && File.Exists(Path.Combine(home, knownPath))
            ? Path.Combine(home, knownPath)
            : Find(home, threadId);
        if (file is null)
        {
            return null;
        }

        // codex appends to it while the thread runs: read what is there, sharing the file.
        using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var gzip = new MemoryStream();
        using (var zip = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            source.CopyTo(zip);
        }

        return (Path.GetRelativePath(home, file).Replace('\\', '/'), gzip.ToArray());
    }

    /// <summary>Writes a kept rollout back under this silo's CODEX_HOME (replacing an older copy), before codex resumes it.</summary>
    public void Write(string relativePath, byte[] gzipped)
    {
        var home = Path.GetFullPath(Home);
        var sessions = Path.Combine(home, "sessions") + Path.DirectorySeparatorChar;
        var target = Path.GetFullPath(Path.Combine(home, relativePath));
        if (!target.StartsWith(sessions, StringComparison.Ordinal) || !target.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"A kept rollout path must name a .jsonl file under CODEX_HOME/sessions; '{relativePath}' does not.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + ".restoring";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        using (var zip = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress))
        {
            zip.CopyTo(file);
        }

        File.Move(temporary, target, overwrite: true); // codex never sees half a file
    }

    private string? ReportedHome()
    {
        try
        {
            return web.Client.Runtime.ServerInfo.CodexHome;
        }
        catch (InvalidOperationException)
        {
            return null; // not connected: a session is open, so this does not happen; the configured home then
        }
    }

    private static string? Find(string home, string threadId)
    {
        var sessions = Path.Combine(home, "sessions");
        return Directory.Exists(sessions)
            ? Directory.EnumerateFiles(sessions, $"rollout-*{threadId}.jsonl", SearchOption.AllDirectories).FirstOrDefault()
            : null;
    }
}
