using System.Reflection;
using CodexRuntime.Build;

namespace CodexRuntime.Tests.Protocol;

/// <summary>
/// No public type of the library may share its name with a type that ImplicitUsings brings into every user's file:
/// the generated protocol had a <c>Thread</c>, and <c>using CodexRuntime.Protocol;</c> broke <c>Thread.Sleep</c>
/// (CS0104) on a new user's first build. The generator renames such types (<c>CodexThread</c>); this keeps it so.
/// </summary>
public sealed class ImplicitUsingsTests
{
    [Fact]
    public void No_public_type_shares_a_name_with_a_type_ImplicitUsings_imports()
    {
        var imported = ImplicitUsingTypes.Names();
        Assert.Contains("Thread", imported);   // the check reads the real frameworks ...
        Assert.Contains("ILogger", imported);  // ... including the ASP.NET Core / Extensions namespaces
        Assert.Contains("HttpContext", imported);

        var clashes = typeof(CodexClient).Assembly.GetExportedTypes()
            .Where(type => !type.IsNested && imported.Contains(type.Name.Split('`')[0]))
            .Select(type => type.FullName)
            .ToList();

        Assert.True(clashes.Count == 0, "These public types clash with ImplicitUsings (rename them, or add them to the generator's renames): " + string.Join(", ", clashes));
    }

    [Fact]
    public void The_protocol_thread_is_CodexThread()
    {
        Assert.NotNull(typeof(CodexClient).Assembly.GetType("CodexRuntime.Protocol.CodexThread"));
        Assert.Null(typeof(CodexClient).Assembly.GetType("CodexRuntime.Protocol.Thread"));
        Assert.Equal(typeof(CodexRuntime.Protocol.CodexThread), typeof(CodexRuntime.Protocol.ThreadStartResponse).GetProperty("Thread", BindingFlags.Public | BindingFlags.Instance)!.PropertyType);
    }
}
