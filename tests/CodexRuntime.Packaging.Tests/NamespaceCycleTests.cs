using Xunit.Abstractions;

namespace CodexRuntime.Packaging.Tests;

/// <summary>
/// Namespaces that depend on each other in a loop, read from the compiled assemblies, so every use counts, including
/// code inside methods. Issue 25 removes the loops package by package: until then <see cref="KnownLoops"/> records the
/// ones that exist, and the test is a ratchet: a new loop, or a namespace joining one, fails; a loop that got smaller or
/// went away fails until its line here is updated, so the list only shrinks. The goal is an empty list.
/// </summary>
public sealed class NamespaceCycleTests(ITestOutputHelper output)
{
    /// <summary>The package assemblies.</summary>
    public static TheoryData<string> Packages() => new(PackageAssemblies.All.Keys.Order(StringComparer.Ordinal));

    /// <summary>The loops each package has today (namespaces joined by " <-> ", in ordinal order).</summary>
    private static readonly Dictionary<string, string[]> KnownLoops = new(StringComparer.Ordinal)
    {
        ["CodexRuntime"] =
        [
            "CodexRuntime <-> CodexRuntime.Diagnostics <-> CodexRuntime.Events <-> CodexRuntime.Hosting <-> CodexRuntime.Interception <-> CodexRuntime.Protocol <-> CodexRuntime.Routing <-> CodexRuntime.Rpc <-> CodexRuntime.Safety <-> CodexRuntime.Serialization <-> CodexRuntime.ServerRequests <-> CodexRuntime.Sessions <-> CodexRuntime.State <-> CodexRuntime.Supervision <-> CodexRuntime.Transport",
        ],
        ["CodexRuntime.AI"] = [],
        ["CodexRuntime.Artifact"] =
        [
            "CodexRuntime.Artifact <-> CodexRuntime.Artifact.Hosting <-> CodexRuntime.Artifact.Revisions <-> CodexRuntime.Artifact.Storage <-> CodexRuntime.Artifact.Tasks",
        ],
        ["CodexRuntime.Automation"] =
        [
            "CodexRuntime.Automation <-> CodexRuntime.Automation.Diagnostics <-> CodexRuntime.Automation.Hosting <-> CodexRuntime.Automation.Persistence <-> CodexRuntime.Automation.Scheduling",
        ],
        ["CodexRuntime.Hooks"] =
        [
            "CodexRuntime.Hooks <-> CodexRuntime.Hooks.Shell",
        ],
        ["CodexRuntime.Testing"] = [],
        ["CodexRuntime.Web"] =
        [
            "CodexRuntime.Web <-> CodexRuntime.Web.Hosting <-> CodexRuntime.Web.Sessions",
        ],
    };

    /// <summary>A package's loops are exactly the known ones; each loop is printed with the types that make its edges.</summary>
    [Theory]
    [MemberData(nameof(Packages))]
    public void Namespace_loops_only_shrink(string package)
    {
        var graph = NamespaceGraph.Read(PackageAssemblies.All[package]);
        foreach (var edge in graph.Edges.OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal))
        {
            output.WriteLine($"{edge.Key.From} -> {edge.Key.To} ({edge.Value.Count})");
        }

        var cycles = graph.Cycles();
        var found = cycles.Select(cycle => string.Join(" <-> ", cycle)).ToList();
        var known = KnownLoops.TryGetValue(package, out var loops) ? loops : [];
        var knownSets = known.Select(loop => loop.Split(" <-> ").ToHashSet(StringComparer.Ordinal)).ToList();

        // Worse: a loop that no known loop contains (new, or grown by a namespace).
        var worse = cycles.Where(cycle => !knownSets.Any(set => set.IsSupersetOf(cycle))).ToList();
        Assert.True(worse.Count == 0, $"{package} has a new namespace loop, or a namespace joined a known one:\n{string.Join("\n\n", worse.Select(graph.Describe))}");

        // Better: record it, so the list only shrinks.
        var changed = known.Except(found).ToList();
        Assert.True(changed.Count == 0, $"{package}: a known loop got smaller or went away; set KnownLoops[\"{package}\"] to what remains: [{string.Join(", ", found.Select(loop => $"\"{loop}\""))}]");
    }
}
