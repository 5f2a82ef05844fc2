using Microsoft.Extensions.DependencyInjection;

namespace CodexRuntime.Hosting;

/// <summary>The builder <c>AddCodexRuntime</c> returns.</summary>
internal sealed class CodexRuntimeBuilder(IServiceCollection services, string name) : ICodexRuntimeBuilder
{
    public IServiceCollection Services { get; } = services;

    public string Name { get; } = name;
}
