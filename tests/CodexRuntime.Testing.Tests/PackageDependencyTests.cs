using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Testing.Tests;

public sealed class PackageDependencyTests
{
    // SPEC.md, package table: a consumer references only what it needs, so this add-on must not drag anything else in.
    [Fact]
    public void Depends_on_the_core_only() =>
        RepositoryLayout.AssertAddOnDependsOnlyOnCore("CodexRuntime.Testing");
}
