using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CodexRuntime.Transport;

namespace CodexRuntime.Testing;

/// <summary>
/// A fresh CODEX_HOME folder whose <c>config.toml</c> points codex at a <see cref="FakeModelServer"/>, with the
/// approval policy and sandbox the test chooses. Each codex process writes sessions and logs here, so give each test
/// its own. Disposing deletes the folder.
/// </summary>
/// <remarks>
/// The model is <see cref="Model"/> (<c>mock-model</c>), described to codex by a one-model catalog in the folder
/// (<c>model_catalog_json</c>), so codex does not warn on every turn that it has no metadata for it. Releases that
/// predate that setting (0.104.0) read the same entry from <c>models_cache.json</c>, which codex accepts only when it
/// names the running release: pass <c>codexVersion</c> to <see cref="Create"/> to write it.
/// </remarks>
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

    /// <summary>The model name the config selects (codex sends it as <c>model</c> in every request).</summary>
    public const string Model = "mock-model";

    /// <summary>The one-model catalog inside <see cref="Path"/> that <c>model_catalog_json</c> points at.</summary>
    public string ModelCatalogPath => System.IO.Path.Combine(Path, "fake-model-catalog.json");

    /// <summary>Creates the folder and its <c>config.toml</c>.</summary>
    /// <param name="server">The fake model server codex should call.</param>
    /// <param name="approvalPolicy">
    /// <c>never</c> (default) or <c>on-request</c> (approval requests reach the client). codex 0.169.0 refuses to start
    /// with <c>untrusted</c> in config.toml; 0.104.0 also knows <c>on-failure</c>.
    /// </param>
    /// <param name="sandboxMode"><c>read-only</c> (default), <c>workspace-write</c> or <c>danger-full-access</c>. The sandbox is real.</param>
    /// <param name="extraToml">More TOML appended at the end (e.g. feature flags).</param>
    /// <param name="parentDirectory">Where to create the folder; the system temp folder by default.</param>
    /// <param name="codexVersion">
    /// The codex release that will use this home, e.g. <c>0.104.0</c>. Only releases without <c>model_catalog_json</c>
    /// need it: it writes the model's metadata as a models cache for that release, so they do not warn "Model metadata
    /// for `mock-model` not found" on every turn either. Newer releases ignore that cache.
    /// </param>
    /// <returns>The new CODEX_HOME.</returns>
    public static TemporaryCodexHome Create(FakeModelServer server, string approvalPolicy = "never", string sandboxMode = "read-only", string? extraToml = null, string? parentDirectory = null, string? codexVersion = null)
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

        if (codexVersion is not null && !System.Version.TryParse(codexVersion.Split('-')[0], out _))
        {
            throw new ArgumentException($"'{codexVersion}' is not a codex version like 0.104.0.", nameof(codexVersion));
        }

        var path = System.IO.Path.Combine(parentDirectory ?? System.IO.Path.GetTempPath(), "codex-home-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        var home = new TemporaryCodexHome(path);
        File.WriteAllText(home.ModelCatalogPath, new JsonObject { ["models"] = new JsonArray(ModelEntry()) }.ToJsonString());
        if (codexVersion is not null)
        {
            // Older releases only read metadata of a custom model from their cache of the models endpoint, and only
            // when it names the running release. A fetch time far ahead keeps it fresh however long the test runs.
            var cache = new JsonObject
            {
                ["fetched_at"] = "2099-01-01T00:00:00Z",
                ["etag"] = null,
                ["client_version"] = codexVersion.Split('-')[0],
                ["models"] = new JsonArray(ModelEntry()),
            };
            File.WriteAllText(System.IO.Path.Combine(path, "models_cache.json"), cache.ToJsonString());
        }

        var config = new StringBuilder()
            .AppendLine("# Written by CodexRuntime.Testing.TemporaryCodexHome: codex talks to a FakeModelServer on loopback.")
            .AppendLine(CultureInfo.InvariantCulture, $"model = \"{Model}\"")
            .AppendLine(CultureInfo.InvariantCulture, $"model_catalog_json = \"{TomlString(home.ModelCatalogPath)}\"")
            .AppendLine(CultureInfo.InvariantCulture, $"approval_policy = \"{approvalPolicy}\"")
            .AppendLine("approvals_reviewer = \"user\"")
            .AppendLine(CultureInfo.InvariantCulture, $"sandbox_mode = \"{sandboxMode}\"")
            .AppendLine("model_provider = \"mock_provider\"")
            .AppendLine()
            .AppendLine("[features]")
            // The models cache is read only with remote models on; without a cache there is nothing to fetch from.
            .AppendLine(CultureInfo.InvariantCulture, $"remote_models = {(codexVersion is null ? "false" : "true")}")
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

        File.WriteAllText(home.ConfigPath, config.ToString());
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

    /// <summary>
    /// The catalog entry for <see cref="Model"/>: the values codex would fall back to for an unknown model (shell tool,
    /// no reasoning, a 272k context), and short base instructions of our own instead of codex's long default prompt.
    /// Fields of both the 0.104.0 and the 0.171.0 schema; each release ignores the ones it does not know.
    /// </summary>
    private static JsonObject ModelEntry() => new()
    {
        ["slug"] = Model,
        ["display_name"] = Model,
        ["description"] = "The scripted model of CodexRuntime.Testing.FakeModelServer.",
        ["default_reasoning_level"] = null,
        ["supported_reasoning_levels"] = new JsonArray(),
        ["shell_type"] = "default",
        ["visibility"] = "list",
        ["minimal_client_version"] = "0.1.0",
        ["supported_in_api"] = true,
        ["priority"] = 99,
        ["upgrade"] = null,
        ["base_instructions"] = "You are the scripted model of a CodexRuntime test: FakeModelServer answers from the test's script.",
        ["model_messages"] = null,
        ["supports_reasoning_summaries"] = false,
        ["default_reasoning_summary"] = "auto",
        ["support_verbosity"] = false,
        ["default_verbosity"] = null,
        ["apply_patch_tool_type"] = null,
        ["web_search_tool_type"] = "text",
        ["truncation_policy"] = new JsonObject { ["mode"] = "bytes", ["limit"] = 10_000 },
        ["supports_parallel_tool_calls"] = false,
        ["supports_image_detail_original"] = false,
        ["context_window"] = 272_000,
        ["max_context_window"] = 272_000,
        ["auto_compact_token_limit"] = null,
        ["effective_context_window_percent"] = 95,
        ["experimental_supported_tools"] = new JsonArray(),
        ["input_modalities"] = new JsonArray("text", "image"),
        ["additional_speed_tiers"] = new JsonArray(),
        ["service_tiers"] = new JsonArray(),
        ["availability_nux"] = null,
    };

    /// <summary>Escapes a path for a TOML basic string (Windows paths have backslashes).</summary>
    private static string TomlString(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

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
