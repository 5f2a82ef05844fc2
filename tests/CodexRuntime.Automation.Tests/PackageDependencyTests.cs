using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Automation.Tests;

public sealed class PackageDependencyTests
{
    // SPEC.md, package table: a consumer references only what it needs. Beyond the core the automation package takes
    // Cronos (cron expressions with time zones, issue 14) and nothing else.
    [Fact]
    public void Depends_on_the_core_and_cronos_only()
    {
        var dependencies = RepositoryLayout.DependenciesOf("CodexRuntime.Automation");

        Assert.Equal(["CodexRuntime"], dependencies.Projects);
        Assert.Equal(["Cronos"], dependencies.Packages);
        Assert.Empty(dependencies.Frameworks);
    }
}
