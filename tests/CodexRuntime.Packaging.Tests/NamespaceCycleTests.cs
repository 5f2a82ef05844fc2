using System.Reflection;
using Xunit.Abstractions;

namespace CodexRuntime.Packaging.Tests;

/// <summary>
/// No package has namespaces that depend on each other in a loop (docs/architecture.md shows the layers). Read from
/// the compiled assemblies, so every use counts, including code inside methods.
/// </summary>
public sealed class NamespaceCycleTests(ITestOutputHelper output)
{
    /// <summary>The package assemblies.</summary>
    public static TheoryData<string> Packages() => new(PackageAssemblies.All.Keys.Order(StringComparer.Ordinal));

    /// <summary>The namespaces of one package form a graph without loops; a loop is printed with the types that make each edge.</summary>
    [Theory]
    [MemberData(nameof(Packages))]
    public void Namespaces_have_no_loops(string package)
    {
        var graph = NamespaceGraph.Read(PackageAssemblies.All[package]);
        foreach (var edge in graph.Edges.OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal))
        {
            output.WriteLine($"{edge.Key.From} -> {edge.Key.To} ({edge.Value.Count})");
        }

        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, $"{package} has {cycles.Count} namespace loop(s):\n{string.Join("\n\n", cycles.Select(graph.Describe))}");
    }
}

/// <summary>The assemblies of the packages under src/, by name.</summary>
internal static class PackageAssemblies
{
    public static readonly IReadOnlyDictionary<string, Assembly> All = new[]
    {
        typeof(CodexClient).Assembly,
        typeof(Artifact.ArtifactSessionManager).Assembly,
        typeof(Automation.CodexAutomation).Assembly,
        typeof(Hooks.ShellCommandHook).Assembly,
        typeof(Testing.FakeModelServer).Assembly,
        typeof(Web.WebAdapter).Assembly,
    }.ToDictionary(assembly => assembly.GetName().Name!, StringComparer.Ordinal);
}
