using Microsoft.Extensions.DependencyInjection;

// The root namespace: internal registration plumbing of the root layer (it binds ClientConfig and builds CodexClient);
// the file stays in Hosting/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>The builder <c>AddCodexRuntime</c> returns.</summary>
internal sealed class CodexRuntimeBuilder(IServiceCollection services, string name) : ICodexRuntimeBuilder
{
    public IServiceCollection Services { get; } = services;

    public string Name { get; } = name;
}
