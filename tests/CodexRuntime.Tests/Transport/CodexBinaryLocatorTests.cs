using CodexRuntime.Transport;

namespace CodexRuntime.Tests.Transport;

public sealed class CodexBinaryLocatorTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("locator-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Explicit_path_that_does_not_exist_fails_naming_it_and_how_to_install()
    {
        var missing = Path.Combine(_root.FullName, "nope", "codex");
        var error = Assert.Throws<CodexBinaryNotFoundException>(() => CodexBinaryLocator.Locate(missing, _ => null));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("npm install -g @openai/codex", error.Message, StringComparison.Ordinal);
        Assert.Equal([missing], error.SearchedLocations);
    }

    [Fact]
    public void Nothing_found_lists_the_environment_variable_and_every_path_entry()
    {
        var a = Path.Combine(_root.FullName, "a");
        var b = Path.Combine(_root.FullName, "b");
        var error = Assert.Throws<CodexBinaryNotFoundException>(() => CodexBinaryLocator.Locate(null, Env(path: a + Path.PathSeparator + b)));
        Assert.Contains("CODEX_CLI_PATH (not set)", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(a, "codex"), error.SearchedLocations);
        Assert.Contains(Path.Combine(b, "codex"), error.SearchedLocations);
    }

    [Fact]
    public void Explicit_path_wins_over_the_environment_variable_which_wins_over_path()
    {
        var explicitBinary = NativeBinary("explicit");
        var envBinary = NativeBinary("env");
        var pathBinary = NativeBinary("onpath");
        var env = Env(cliPath: envBinary, path: Path.GetDirectoryName(pathBinary));

        Assert.Equal((explicitBinary, CodexBinarySource.ExplicitPath), Pick(CodexBinaryLocator.Locate(explicitBinary, env)));
        Assert.Equal((envBinary, CodexBinarySource.EnvironmentVariable), Pick(CodexBinaryLocator.Locate(null, env)));
        Assert.Equal((pathBinary, CodexBinarySource.SearchPath), Pick(CodexBinaryLocator.Locate(null, Env(path: Path.GetDirectoryName(pathBinary)))));
    }

    [Fact]
    public void Environment_variable_pointing_nowhere_fails_naming_the_variable()
    {
        var error = Assert.Throws<CodexBinaryNotFoundException>(() => CodexBinaryLocator.Locate(null, Env(cliPath: "/definitely/not/here/codex")));
        Assert.Contains("CODEX_CLI_PATH is set to '/definitely/not/here/codex'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bin")] // 0.169.0: vendor/<triple>/bin/codex
    [InlineData("codex")] // 0.104.0: vendor/<triple>/codex/codex
    public void Npm_bin_symlink_resolves_to_the_native_binary_for_both_package_layouts(string layout)
    {
        var prefix = NpmInstall(layout);
        var shim = Path.Combine(prefix, "node_modules", ".bin", "codex");

        var found = CodexBinaryLocator.Locate(shim, _ => null);

        Assert.Equal(NativePath(prefix, layout), found.ExecutablePath);
        Assert.Equal(shim, found.RequestedPath);
    }

    [Theory]
    [InlineData("bin")]
    [InlineData("codex")]
    public void Npm_launcher_script_and_prefix_folder_resolve_to_the_native_binary(string layout)
    {
        var prefix = NpmInstall(layout);
        var launcher = Path.Combine(prefix, "node_modules", "@openai", "codex", "bin", "codex.js");

        Assert.Equal(NativePath(prefix, layout), CodexBinaryLocator.Locate(launcher, _ => null).ExecutablePath);
        Assert.Equal(NativePath(prefix, layout), CodexBinaryLocator.Locate(prefix, _ => null).ExecutablePath);
    }

    [Fact]
    public void Windows_npm_cmd_shim_resolves_to_the_native_binary_beside_it()
    {
        // npm -g on Windows writes <prefix>\codex.cmd next to <prefix>\node_modules\@openai\codex.
        var prefix = NpmInstall("bin");
        var cmd = Path.Combine(prefix, "codex.cmd");
        File.WriteAllText(cmd, "@ECHO off\r\nnode \"%~dp0\\node_modules\\@openai\\codex\\bin\\codex.js\" %*\r\n");

        Assert.Equal(NativePath(prefix, "bin"), CodexBinaryLocator.Locate(cmd, _ => null).ExecutablePath);
    }

    [Fact]
    public void Npm_launcher_without_its_platform_package_fails_with_a_reinstall_hint()
    {
        var prefix = NpmInstall("bin");
        Directory.Delete(Path.Combine(prefix, "node_modules", "@openai", CodexBinaryLocator.PlatformPackageName), recursive: true);
        var error = Assert.Throws<CodexBinaryNotFoundException>(() => CodexBinaryLocator.Locate(Path.Combine(prefix, "node_modules", ".bin", "codex"), _ => null));
        Assert.Contains("reinstall @openai/codex", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Helper_tool_folders_shipped_with_the_binary_are_reported()
    {
        var prefix = NpmInstall("bin");
        var helpers = Path.Combine(prefix, "node_modules", "@openai", CodexBinaryLocator.PlatformPackageName, "vendor", CodexBinaryLocator.TargetTriple, "codex-path");
        Directory.CreateDirectory(helpers);
        Assert.Equal([helpers], CodexBinaryLocator.Locate(prefix, _ => null).HelperDirectories);
    }

    private static (string, CodexBinarySource) Pick(CodexBinary binary) => (binary.ExecutablePath, binary.Source);

    private static Func<string, string?> Env(string? cliPath = null, string? path = null) =>
        name => name switch
        {
            "CODEX_CLI_PATH" => cliPath,
            "PATH" => path,
            _ => null,
        };

    private string NativeBinary(string folder)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root.FullName, folder));
        var file = Path.Combine(dir.FullName, OperatingSystem.IsWindows() ? "codex.exe" : "codex");
        File.WriteAllBytes(file, [0x7F, (byte)'E', (byte)'L', (byte)'F']);
        return file;
    }

    private static string NativePath(string prefix, string layout) =>
        Path.Combine(prefix, "node_modules", "@openai", CodexBinaryLocator.PlatformPackageName, "vendor", CodexBinaryLocator.TargetTriple, layout, OperatingSystem.IsWindows() ? "codex.exe" : "codex");

    /// <summary>Lays out what `npm install --prefix P @openai/codex` creates, with the binary where <paramref name="layout"/> puts it.</summary>
    private string NpmInstall(string layout)
    {
        var prefix = Path.Combine(_root.FullName, "npm-" + layout + "-" + Guid.NewGuid().ToString("N")[..6]);
        var package = Directory.CreateDirectory(Path.Combine(prefix, "node_modules", "@openai", "codex"));
        File.WriteAllText(Path.Combine(package.FullName, "package.json"), """{"name":"@openai/codex","bin":{"codex":"bin/codex.js"}}""");
        Directory.CreateDirectory(Path.Combine(package.FullName, "bin"));
        File.WriteAllText(Path.Combine(package.FullName, "bin", "codex.js"), "#!/usr/bin/env node\n");
        var native = NativePath(prefix, layout);
        Directory.CreateDirectory(Path.GetDirectoryName(native)!);
        File.WriteAllBytes(native, [0x7F, (byte)'E', (byte)'L', (byte)'F']);
        var bin = Directory.CreateDirectory(Path.Combine(prefix, "node_modules", ".bin"));
        File.CreateSymbolicLink(Path.Combine(bin.FullName, "codex"), Path.Combine("..", "@openai", "codex", "bin", "codex.js"));
        return prefix;
    }
}
