using CodexRuntime.Safety;

namespace CodexRuntime;

/// <summary>
/// A request asked for a sandbox other than read-only without meeting the safe-defaults rule
/// (<see cref="PrivilegedEscalationRule"/>). Nothing was sent.
/// </summary>
public sealed class CodexPrivilegedEscalationException : CodexRequestValidationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The refused method.</param>
    /// <param name="sandbox">The sandbox the request asked for.</param>
    /// <param name="unmetConditions">What the request lacks, each with its fix.</param>
    public CodexPrivilegedEscalationException(string method, string sandbox, IReadOnlyList<string> unmetConditions)
        : base(method, Describe(method, sandbox, unmetConditions))
    {
        Sandbox = sandbox;
        UnmetConditions = unmetConditions;
    }

    /// <summary>The rule that refused the request: <see cref="PrivilegedEscalationRule.Name"/>.</summary>
    public string Rule => PrivilegedEscalationRule.Name;

    /// <summary>The sandbox the request asked for, e.g. <c>workspace-write</c>.</summary>
    public string Sandbox { get; }

    /// <summary>What the request lacks, each with its fix.</summary>
    public IReadOnlyList<string> UnmetConditions { get; }

    /// <summary>Throws when the rule's verdict on a request lists anything missing (the rule judges; the root layer throws).</summary>
    /// <param name="method">The JSON-RPC method judged.</param>
    /// <param name="verdict">What <see cref="PrivilegedEscalationRule"/> found: the privileged sandbox asked for and what the request lacks.</param>
    internal static void ThrowIfRefused(string method, (string? Sandbox, IReadOnlyList<string> Missing) verdict)
    {
        if (verdict.Missing.Count > 0)
        {
            throw new CodexPrivilegedEscalationException(method, verdict.Sandbox!, verdict.Missing);
        }
    }

    private static string Describe(string method, string sandbox, IReadOnlyList<string> unmet) =>
        $"'{method}' was refused before sending by the safe-defaults rule '{PrivilegedEscalationRule.Name}': sandbox '{sandbox}' is not read-only, " +
        "and a sandbox other than read-only needs an explicit opt-in, an approval policy other than never and an explicit scope. Unmet: " +
        string.Join("; ", unmet) + ".";
}
