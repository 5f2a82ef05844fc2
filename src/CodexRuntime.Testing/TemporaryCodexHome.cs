using System.Globalization;
using System.Text;
using CodexRuntime.Transport;

namespace CodexRuntime.Testing;

/// <summary>
/// A fresh CODEX_HOME folder whose <c>config.toml</c> points codex at a <see cref="FakeModelServer"/>, with the
/// approval policy and sandbox the test chooses. Each codex process writes sessions and logs here, so give each test
/// its own. Disposing deletes the folder.
/// </summary>
public sealed class TemporaryCodexHome : IDisposable
{
    private static readonly string[] ApprovalPolicies = ["never", "on-request", "on-failure", "untrusted"];
    private static readonly string[] SandboxModes = ["read-only", "workspace-write", "danger-full-access"];

    private TemporaryCodexHome(string path)
    {
        Path = path;
    }

    /// <summary>The folder; pass it as CODEX_HOME.</summary>
    public string Path { get; }

    /// <summary>
    /// An empty user home folder inside <see cref="Path"/>. codex runs commands in a login shell, which sources the
    /// user's shell profile; pointing HOME here keeps a test independent of whatever that profile does (on a machine
    /// whose profile runs a slow tool, a one-line command can otherwise take minutes).
    /// </summary>
    public string UserHome => System.IO.Path.Combine(Path, "user-home");

    /// <summary>The <c>config.toml</c> inside <see cref="Path"/>.</summary>
    public string ConfigPath => System.IO.Path.Combine(Path, "config.toml");

    /// <summary>Creates the folder and its <c>config.toml</c>.</summary>
    /// <param name="server">The fake model server codex should call.</param>
    /// <param name="approvalPolicy">
    /// <c>never</c> (default) or <c>on-request</c> (approval requests reach the client). codex 0.169.0 refuses to start
    /// with <c>untrusted</c> in config.toml; 0.104.0 also knows <c>on-failure</c>.
    /// </param>
    /// <param name="sandboxMode"><c>read-only</c> (default), <c>workspace-write</c> or <c>danger-full-access</c>. The sandbox is real.</param>
    /// <param name="extraToml">More TOML appended at the end (e.g. feature flags).</param>
    /// <param name="parentDirectory">Where to create the folder; the system temp folder by default.</param>
    /// <returns>The new CODEX_HOME.</returns>
    public static TemporaryCodexHome Create(FakeModelServer server, string approvalPolicy = "never", string sandboxMode = "read-only", string? extraToml = null, string? parentDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!ApprovalPolicies.Contains(approvalPolicy))
        {
            throw new ArgumentException($"Unknown approval policy '{approvalPolicy}'. Use one of: {string.Join(", ", ApprovalPolicies)}.", nameof(approvalPolicy));
        }

        if (!SandboxModes.Contains(sandboxMode))
        {
            throw new ArgumentException($"Unknown sandbox mode '{sandboxMode}'. Use one of: {string.Join(", ", SandboxModes)}.", nameof(sandboxMode));
        }

        var path = System.IO.Path.Combine(parentDirectory ?? System.IO.Path.GetTempPath(), "codex-home-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        var config = new StringBuilder()
            .AppendLine("# Written by CodexRuntime.Testing.TemporaryCodexHome: codex talks to a FakeModelServer on loopback.")
            .AppendLine("model = \"mock-model\"")
            .AppendLine(CultureInfo.InvariantCulture, $"approval_policy = \"{approvalPolicy}\"")
            .AppendLine("approvals_reviewer = \"user\"")
            .AppendLine(CultureInfo.InvariantCulture, $"sandbox_mode = \"{sandboxMode}\"")
            .AppendLine("model_provider = \"mock_provider\"")
            .AppendLine()
            .AppendLine("[features]")
            .AppendLine("remote_models = false")
            .AppendLine()
            .AppendLine("[model_providers.mock_provider]")
            .AppendLine("name = \"Mock provider\"")
            .AppendLine(CultureInfo.InvariantCulture, $"base_url = \"{server.BaseUrl}\"")
            .AppendLine("wire_api = \"responses\"")
            .AppendLine("request_max_retries = 0")
            .AppendLine("stream_max_retries = 0");
        if (!string.IsNullOrWhiteSpace(extraToml))
        {
            config.AppendLine().AppendLine(extraToml);
        }

        File.WriteAllText(System.IO.Path.Combine(path, "config.toml"), config.ToString());
        var home = new TemporaryCodexHome(path);
        Directory.CreateDirectory(home.UserHome);
        return home;
    }

    /// <summary>Points <paramref name="options"/> at this CODEX_HOME, with <see cref="UserHome"/> as the process's HOME.</summary>
    /// <param name="options">The process options to change.</param>
    /// <returns>The same options, for chaining.</returns>
    public CodexProcessOptions ApplyTo(CodexProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.CodexHome = Path;
        options.Environment["HOME"] = UserHome;
        if (OperatingSystem.IsWindows())
        {
            options.Environment["USERPROFILE"] = UserHome;
        }

        return options;
    }

    /// <summary>Points a client's codex process at this CODEX_HOME (see <see cref="ApplyTo(CodexProcessOptions)"/>).</summary>
    /// <param name="config">The client configuration to change.</param>
    /// <returns>The same configuration, for chaining.</returns>
    public ClientConfig ApplyTo(ClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ApplyTo(config.Runtime.Process);
        return config;
    }

    /// <summary>Deletes the folder (best effort: a file a dying process still holds is left for the OS to clean).</summary>
    public void Dispose()
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(Path))
                {
                    Directory.Delete(Path, recursive: true);
                }

                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Retry: codex may still be flushing a log file as it exits.
            }
        }
    }
}
