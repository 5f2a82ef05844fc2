using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace CodexRuntime.Build;

/// <summary>
/// The public type names that a project with <c>ImplicitUsings</c> sees without a using: the namespaces the .NET SDK
/// imports for console, worker and web projects, read from the shared frameworks installed beside the running
/// runtime. A generated protocol type with one of these names would make user code ambiguous (CS0104: <c>Thread</c>
/// is both <c>System.Threading.Thread</c> and the protocol's thread), so the generator renames it and a test checks
/// the whole library.
/// </summary>
internal static class ImplicitUsingTypes
{
    /// <summary>What <c>ImplicitUsings</c> imports in Microsoft.NET.Sdk, .Sdk.Worker and .Sdk.Web projects.</summary>
    public static readonly IReadOnlyList<string> Namespaces =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
        "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing",
        "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    /// <summary>The public top-level type names (without generic arity) in <see cref="Namespaces"/>.</summary>
    public static IReadOnlySet<string> Names()
    {
        var wanted = Namespaces.ToHashSet(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in SharedFrameworkFolders())
        {
            foreach (var file in Directory.GetFiles(folder, "*.dll"))
            {
                ReadTypes(file, wanted, names);
            }
        }

        return names;
    }

    /// <summary>Microsoft.NETCore.App of the running runtime, and the newest Microsoft.AspNetCore.App of the same major version.</summary>
    private static IEnumerable<string> SharedFrameworkFolders()
    {
        var core = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        yield return core;
        var major = Environment.Version.Major;
        var aspNet = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(core)!)!, "Microsoft.AspNetCore.App");
        if (Directory.Exists(aspNet)
            && Directory.GetDirectories(aspNet)
                .Where(dir => Version.TryParse(Path.GetFileName(dir), out var v) && v.Major == major)
                .OrderByDescending(dir => Version.Parse(Path.GetFileName(dir)))
                .FirstOrDefault() is { } newest)
        {
            yield return newest;
        }
    }

    private static void ReadTypes(string file, HashSet<string> namespaces, HashSet<string> names)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return;
            }

            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.TypeDefinitions)
            {
                var type = metadata.GetTypeDefinition(handle);
                if ((type.Attributes & TypeAttributes.VisibilityMask) != TypeAttributes.Public)
                {
                    continue; // not public, or nested
                }

                if (namespaces.Contains(metadata.GetString(type.Namespace)))
                {
                    var name = metadata.GetString(type.Name);
                    names.Add(name.Split('`')[0]);
                }
            }
        }
        catch (BadImageFormatException)
        {
            // A native library in the framework folder.
        }
    }
}
