using System.Runtime.InteropServices;
using CodexRuntime.Transport;

// The root namespace: it throws CodexBinaryNotFoundException, a root exception, and Transport (below the root) names
// none; the file stays in Transport/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>
/// Finds the codex executable: an explicit path, then the <c>CODEX_CLI_PATH</c> environment variable, then
/// <c>codex</c> on <c>PATH</c>. A path that points into an npm install (the <c>node_modules/.bin</c> symlink, the
/// <c>bin/codex.js</c> launcher, or the Windows <c>codex.cmd</c> shim that a process start cannot run) is resolved
/// to the native executable inside the platform package.
/// </summary>
public static class CodexBinaryLocator
{
    /// <summary>The environment variable consulted when no explicit path is given.</summary>
    public const string EnvironmentVariable = "CODEX_CLI_PATH";

    private const string InstallHint =
        "Install codex with 'npm install -g @openai/codex' (or run build/install-codex.sh in the CodexRuntime repository), " +
        "then put it on PATH, set CODEX_CLI_PATH to its path, or pass the path explicitly.";

    /// <summary>Locates codex, from the process environment unless another is given (tests, hosts with their own environment).</summary>
    /// <param name="explicitPath">A path given in configuration; when set, it is the only place tried.</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable (<c>CODEX_CLI_PATH</c>, <c>PATH</c>, <c>PATHEXT</c>); the process environment when null.</param>
    /// <returns>The located executable.</returns>
    /// <exception cref="CodexBinaryNotFoundException">Nothing usable was found; the message lists where the locator looked.</exception>
    public static CodexBinary Locate(string? explicitPath = null, Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        var searched = new List<string>();

        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return TryResolve(explicitPath, CodexBinarySource.ExplicitPath, searched)
                ?? throw NotFound($"The configured codex path '{explicitPath}' does not exist or is not a codex executable.", searched);
        }

        var fromEnvironment = getEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return TryResolve(fromEnvironment, CodexBinarySource.EnvironmentVariable, searched)
                ?? throw NotFound($"{EnvironmentVariable} is set to '{fromEnvironment}', which does not exist or is not a codex executable.", searched);
        }

        searched.Add($"{EnvironmentVariable} (not set)");
        foreach (var directory in SplitPath(getEnvironmentVariable("PATH")))
        {
            foreach (var name in CandidateNames(getEnvironmentVariable("PATHEXT")))
            {
                var candidate = Path.Combine(directory, name);
                if (TryResolve(candidate, CodexBinarySource.SearchPath, searched) is { } found)
                {
                    return found;
                }
            }
        }

        throw NotFound("codex was not found.", searched);
    }

    private static CodexBinaryNotFoundException NotFound(string what, List<string> searched) =>
        new($"{what} Looked in: {string.Join("; ", searched)}. {InstallHint}", searched.ToArray());

    private static IEnumerable<string> SplitPath(string? path) =>
        string.IsNullOrEmpty(path)
            ? []
            : path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<string> CandidateNames(string? pathExt)
    {
        if (!OperatingSystem.IsWindows())
        {
            yield return "codex";
            yield break;
        }

        // A native codex.exe wins; the npm shims (codex.cmd, codex.ps1) are resolved to the executable they launch.
        yield return "codex.exe";
        foreach (var ext in (pathExt ?? ".COM;.EXE;.BAT;.CMD").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!ext.Equals(".exe", StringComparison.OrdinalIgnoreCase))
            {
                yield return "codex" + ext.ToLowerInvariant();
            }
        }

        yield return "codex";
    }

    private static CodexBinary? TryResolve(string path, CodexBinarySource source, List<string> searched)
    {
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            searched.Add($"{path} (not a valid path)");
            return null;
        }

        if (Directory.Exists(fullPath))
        {
            // A folder is accepted when it is an npm prefix or package folder holding codex.
            if (FindInNpmLayout(fullPath) is { } inFolder)
            {
                return Found(inFolder, fullPath, source);
            }

            searched.Add($"{fullPath} (a folder without a codex executable)");
            return null;
        }

        if (!File.Exists(fullPath))
        {
            searched.Add(fullPath);
            return null;
        }

        var target = ResolveLinks(fullPath);
        if (IsNpmLauncher(target) || IsNpmLauncher(fullPath))
        {
            if ((FindFromLauncher(fullPath) ?? FindFromLauncher(target)) is { } native)
            {
                return Found(native, fullPath, source);
            }

            searched.Add($"{fullPath} (an npm launcher whose platform package with the native codex binary is missing; reinstall @openai/codex)");
            return null;
        }

        return Found(target, fullPath, source);
    }

    private static CodexBinary Found(string native, string requested, CodexBinarySource source) =>
        new(native, source, requested, HelperDirectoriesOf(native));

    private static string ResolveLinks(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static bool IsNpmLauncher(string path)
    {
        var ext = Path.GetExtension(path);
        if (ext.Equals(".js", StringComparison.OrdinalIgnoreCase) || ext.Equals(".cmd", StringComparison.OrdinalIgnoreCase)
            || ext.Equals(".ps1", StringComparison.OrdinalIgnoreCase) || ext.Equals(".mjs", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // npm on Unix may also write a small shell script instead of a symlink (e.g. some global installs).
        var dir = Path.GetFileName(Path.GetDirectoryName(path) ?? string.Empty);
        return dir.Equals(".bin", StringComparison.Ordinal) || (dir.Equals("bin", StringComparison.Ordinal) && IsScript(path));
    }

    private static bool IsScript(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> head = stackalloc byte[2];
            return stream.Read(head) == 2 && head[0] == (byte)'#' && head[1] == (byte)'!';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>From a launcher file, walks up to the folder that holds <c>@openai/codex</c>.</summary>
    private static string? FindFromLauncher(string launcher)
    {
        for (var dir = Path.GetDirectoryName(launcher); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (FindInNpmLayout(dir) is { } native)
            {
                return native;
            }

            if (Path.GetFileName(dir).Equals("node_modules", StringComparison.Ordinal))
            {
                break;
            }
        }

        return null;
    }

    /// <summary>
    /// Looks for the native binary below a folder that is an npm prefix, a node_modules folder, or the
    /// <c>@openai/codex</c> package folder itself.
    /// </summary>
    private static string? FindInNpmLayout(string dir)
    {
        string[] packageRoots =
        [
            Path.Combine(dir, "node_modules", "@openai", "codex"),
            Path.Combine(dir, "@openai", "codex"),
            Path.Combine(dir, "lib", "node_modules", "@openai", "codex"),
            dir,
        ];

        foreach (var root in packageRoots)
        {
            if (!File.Exists(Path.Combine(root, "package.json")) || !Path.GetFileName(root).Equals("codex", StringComparison.Ordinal))
            {
                continue;
            }

            // The platform package sits beside @openai/codex (flat install) or below it (nested install);
            // very old versions vendored the binary inside @openai/codex itself.
            var scope = Path.GetDirectoryName(root)!;
            string[] vendorRoots =
            [
                Path.Combine(scope, PlatformPackageName, "vendor"),
                Path.Combine(root, "node_modules", "@openai", PlatformPackageName, "vendor"),
                Path.Combine(root, "vendor"),
            ];

            foreach (var vendor in vendorRoots)
            {
                if (FindInVendor(vendor) is { } native)
                {
                    return native;
                }
            }
        }

        return null;
    }

    private static string? FindInVendor(string vendor)
    {
        var exe = OperatingSystem.IsWindows() ? "codex.exe" : "codex";
        // 0.169.0 keeps the binary under vendor/<triple>/bin/codex, 0.104.0 under vendor/<triple>/codex/codex.
        string[] candidates =
        [
            Path.Combine(vendor, TargetTriple, "bin", exe),
            Path.Combine(vendor, TargetTriple, "codex", exe),
            Path.Combine(vendor, TargetTriple, exe),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    private static IReadOnlyList<string> HelperDirectoriesOf(string native)
    {
        // vendor/<triple>/bin/codex -> vendor/<triple>/codex-path ; vendor/<triple>/codex/codex -> vendor/<triple>/path
        var tripleDir = Path.GetDirectoryName(Path.GetDirectoryName(native));
        if (tripleDir is null || !Path.GetFileName(Path.GetDirectoryName(tripleDir) ?? string.Empty).Equals("vendor", StringComparison.Ordinal))
        {
            return [];
        }

        return new[] { Path.Combine(tripleDir, "codex-path"), Path.Combine(tripleDir, "path") }.Where(Directory.Exists).ToArray();
    }

    /// <summary>The npm platform package for this machine, e.g. <c>codex-linux-x64</c>.</summary>
    internal static string PlatformPackageName
    {
        get
        {
            var os = OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
            var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64";
            return $"codex-{os}-{arch}";
        }
    }

    /// <summary>The Rust target triple that names the vendor folder for this machine.</summary>
    internal static string TargetTriple
    {
        get
        {
            var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64";
            if (OperatingSystem.IsWindows())
            {
                return $"{arch}-pc-windows-msvc";
            }

            return OperatingSystem.IsMacOS() ? $"{arch}-apple-darwin" : $"{arch}-unknown-linux-musl";
        }
    }
}
