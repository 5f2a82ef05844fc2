using System.Reflection;

namespace CodexRuntime.Packaging.Tests;

/// <summary>The assemblies of the packages under src/, by name.</summary>
internal static class PackageAssemblies
{
    public static readonly IReadOnlyDictionary<string, Assembly> All = new[]
    {
        typeof(CodexClient).Assembly,
        typeof(AI.CodexChatClient).Assembly,
        typeof(Artifact.ArtifactSessionManager).Assembly,
        typeof(Automation.CodexAutomation).Assembly,
        typeof(Hooks.ShellCommandHook).Assembly,
        typeof(Orleans.CodexOrleansBuilderExtensions).Assembly,
        typeof(Testing.FakeModelServer).Assembly,
        typeof(Web.WebAdapter).Assembly,
    }.ToDictionary(assembly => assembly.GetName().Name!, StringComparer.Ordinal);
}
