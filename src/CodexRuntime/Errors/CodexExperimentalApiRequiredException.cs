namespace CodexRuntime;

/// <summary>An experimental method or field was used without the experimental API opt-in (codex would answer -32600).</summary>
public sealed class CodexExperimentalApiRequiredException : CodexRequestValidationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The method.</param>
    /// <param name="experimentalFields">The experimental params fields that were set; empty when the method itself is experimental.</param>
    public CodexExperimentalApiRequiredException(string method, IReadOnlyList<string> experimentalFields)
        : base(method, Describe(method, experimentalFields))
    {
        ExperimentalFields = experimentalFields;
    }

    /// <summary>The experimental params fields that were set; empty when the method itself is experimental.</summary>
    public IReadOnlyList<string> ExperimentalFields { get; }

    private static string Describe(string method, IReadOnlyList<string> fields) =>
        (fields.Count == 0
            ? $"'{method}' is an experimental codex method"
            : $"'{method}' sets experimental field(s) {string.Join(", ", fields.Select(f => "'" + f + "'"))}") +
        ", and this connection did not opt in to the experimental API. Set ExperimentalApi = true on the connection options (sent as capabilities.experimentalApi), or leave the field(s) unset.";
}
