using Xunit.Abstractions;

namespace CodexRuntime.Packaging.Tests;

/// <summary>
/// No namespace loops in any package, read from the compiled assemblies, so every use counts, including code inside
/// methods (see <see cref="NamespaceGraph"/>). A package's root namespace is its top layer; a sub-namespace is a lower
/// layer and never names the root or a namespace above it (docs/architecture.md states each graph). A loop fails the
/// test, printed with the types that make each of its edges.
/// </summary>
public sealed class NamespaceCycleTests(ITestOutputHelper output)
{
    /// <summary>The package assemblies.</summary>
    public static TheoryData<string> Packages() => new(PackageAssemblies.All.Keys.Order(StringComparer.Ordinal));

    /// <summary>A package's namespaces form no loop; the edges are printed either way.</summary>
    [Theory]
    [MemberData(nameof(Packages))]
    public void Namespaces_do_not_loop(string package)
    {
        var graph = NamespaceGraph.Read(PackageAssemblies.All[package]);
        foreach (var edge in graph.Edges.OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal))
        {
            output.WriteLine($"{edge.Key.From} -> {edge.Key.To} ({edge.Value.Count})");
        }

        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, $"{package} has namespace loops:\n{string.Join("\n\n", cycles.Select(graph.Describe))}");
    }
}
