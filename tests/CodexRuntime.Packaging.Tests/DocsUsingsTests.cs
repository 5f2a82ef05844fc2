using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Packaging.Tests;

/// <summary>
/// The first C# block of every docs page and package README is what a reader copies first, so it begins with the
/// usings it needs (issue 24: a user's <c>AddWeb</c> failed with "missing a using directive" because docs/web.md
/// never named the namespace). The namespaces are checked against the packages' public types, read from the
/// assemblies this project references (all of src/), so a namespace that moves breaks the docs' build here.
/// </summary>
public sealed partial class DocsUsingsTests
{
    /// <summary>docs/*.md and src/*/README.md, relative to the repository root.</summary>
    public static TheoryData<string> Pages() => new(AllPages());

    /// <summary>The pages that have a ```csharp block.</summary>
    public static TheoryData<string> PagesWithCSharp() => new(AllPages().Where(page => FirstCSharpBlock(page) is not null));

    [Theory]
    [MemberData(nameof(PagesWithCSharp))]
    public void FirstCSharpBlockBeginsWithItsUsings(string page)
    {
        var block = FirstCSharpBlock(page)!;
        var first = block.FirstOrDefault(line => line.Trim().Length > 0) ?? "";
        Assert.True(UsingDirective().IsMatch(first), $"{page}: the first ```csharp block must begin with its using lines; it begins with \"{first}\".");
        Assert.True(
            Usings(block).Any(name => name == "CodexRuntime" || name.StartsWith("CodexRuntime.", StringComparison.Ordinal)),
            $"{page}: the first ```csharp block names no CodexRuntime namespace in a using.");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void NoPageImportsAHostingNamespace(string page)
    {
        // The Hosting namespaces hold internal types only: a using of one compiles to nothing a caller can use.
        var hits = File.ReadAllLines(Path.Combine(RepositoryLayout.Root, page)).Where(line => HostingUsing().IsMatch(line)).ToArray();
        Assert.True(hits.Length == 0, $"{page} imports an internal namespace: {string.Join(" | ", hits)}");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryCodexRuntimeUsingOnThePageNamesAPublicNamespace(string page)
    {
        // Every block, not only the first: a later block that a reader copies must compile as well.
        var stale = Usings(File.ReadAllLines(Path.Combine(RepositoryLayout.Root, page)))
            .Where(name => IsOurs(name) && !PublicApi.Value.ContainsKey(name))
            .ToArray();
        Assert.True(stale.Length == 0, $"{page} imports namespaces with no public types: {string.Join(", ", stale)}");
    }

    [Theory]
    [MemberData(nameof(PagesWithCSharp))]
    public void EachCodexRuntimeUsingIsAPublicNamespaceTheBlockUses(string page)
    {
        var block = FirstCSharpBlock(page)!;
        var words = Words(Code(block));
        foreach (var name in Usings(block).Where(IsOurs))
        {
            Assert.True(PublicApi.Value.TryGetValue(name, out var members), $"{page}: `using {name};` names no namespace with public types.");
            Assert.True(members.Overlaps(words), $"{page}: `using {name};` but the block uses none of its types or extension methods.");
        }
    }

    [Theory]
    [MemberData(nameof(PagesWithCSharp))]
    public void EveryPackageTypeTheBlockNamesHasItsUsing(string page)
    {
        var block = FirstCSharpBlock(page)!;
        var code = Code(block);
        var usings = Usings(block).ToHashSet(StringComparer.Ordinal);
        var declared = DeclaredType().Matches(code).Select(match => match.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var missing = TypeReference().Matches(code)
            .Select(match => match.Value)
            .Where(name => !declared.Contains(name) && TypeNamespaces.Value.TryGetValue(name, out var namespaces) && !namespaces.Overlaps(usings))
            .Distinct(StringComparer.Ordinal)
            .Select(name => $"{name} ({string.Join(" or ", TypeNamespaces.Value[name])})")
            .ToArray();
        Assert.True(missing.Length == 0, $"{page}: the first ```csharp block uses types whose namespace it does not import: {string.Join(", ", missing)}");
    }

    private static bool IsOurs(string name) => name == "CodexRuntime" || name.StartsWith("CodexRuntime.", StringComparison.Ordinal);

    private static string[] AllPages()
    {
        var root = RepositoryLayout.Root;
        return Directory.GetFiles(Path.Combine(root, "docs"), "*.md")
            .Concat(Directory.GetDirectories(Path.Combine(root, "src")).Select(folder => Path.Combine(folder, "README.md")).Where(File.Exists))
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The lines of the page's first ```csharp block, or null when it has none.</summary>
    private static string[]? FirstCSharpBlock(string page)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryLayout.Root, page));
        var start = Array.FindIndex(lines, line => line.TrimEnd() == "```csharp");
        if (start < 0)
        {
            return null;
        }

        var end = Array.FindIndex(lines, start + 1, line => line.TrimStart().StartsWith("```", StringComparison.Ordinal));
        Assert.True(end > start, $"{page}: the first ```csharp block is never closed.");
        return lines[(start + 1)..end];
    }

    private static IEnumerable<string> Usings(string[] block) =>
        block.Select(line => UsingDirective().Match(line)).Where(match => match.Success).Select(match => match.Groups["name"].Value);

    /// <summary>The block without using lines, string literals and comments: what is left names types and members.</summary>
    private static string Code(string[] block)
    {
        var code = string.Join('\n', block.Where(line => !UsingDirective().IsMatch(line)));
        code = StringLiteral().Replace(code, "\"\"");
        code = BlockComment().Replace(code, " ");
        return LineComment().Replace(code, "");
    }

    private static HashSet<string> Words(string code) =>
        Identifier().Matches(code).Select(match => match.Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>Namespace → the public type names and extension method names it offers, over every package under src/.</summary>
    private static readonly Lazy<Dictionary<string, HashSet<string>>> PublicApi = new(() =>
    {
        var api = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in PackageTypes())
        {
            var names = api.TryGetValue(type.Namespace!, out var existing) ? existing : api[type.Namespace!] = new(StringComparer.Ordinal);
            names.Add(TypeName(type));
            if (type.IsAbstract && type.IsSealed)
            {
                names.UnionWith(type.GetMethods(BindingFlags.Public | BindingFlags.Static)
                    .Where(method => method.IsDefined(typeof(ExtensionAttribute), false))
                    .Select(method => method.Name));
            }
        }

        return api;
    });

    /// <summary>Public top-level type name → the namespaces that declare a type of that name.</summary>
    private static readonly Lazy<Dictionary<string, HashSet<string>>> TypeNamespaces = new(() =>
        PackageTypes()
            .GroupBy(TypeName, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(type => type.Namespace!).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal));

    private static IEnumerable<Type> PackageTypes() =>
        Directory.GetFiles(Path.Combine(RepositoryLayout.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(project => Assembly.Load(new AssemblyName(Path.GetFileNameWithoutExtension(project))))
            .SelectMany(assembly => assembly.GetExportedTypes())
            .Where(type => !type.IsNested && type.Namespace is not null);

    private static string TypeName(Type type) => type.Name.Split('`')[0];

    [GeneratedRegex(@"^\s*using\s+(?<name>[A-Za-z_][\w.]*)\s*;")]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^\s*(global\s+)?using\s+(static\s+)?CodexRuntime(\.\w+)*\.Hosting\s*;")]
    private static partial Regex HostingUsing();

    // Verbatim, interpolated and plain strings; an escaped quote does not end a plain one.
    [GeneratedRegex(@"\$?@?""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"[A-Za-z_]\w*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\b(class|record|struct|interface|enum)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex DeclaredType();

    // A capitalised name not reached through a member access (x.Name) and not set in an initializer or named argument
    // (Name = ..., name: ...): in a snippet that is a type (new T, T.Member, (T)x, catch (T ex), : T).
    [GeneratedRegex(@"(?<![\w.])[A-Z]\w*(?![\w]|\s*=(?!=)|\s*:(?!:))")]
    private static partial Regex TypeReference();
}
