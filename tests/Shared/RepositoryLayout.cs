namespace CodexRuntime.Tests.Shared;

/// <summary>
/// The repository as files: where it is. Shared by every test project (linked in by tests/Directory.Build.props).
/// </summary>
internal static class RepositoryLayout
{
    public static string Root => CodexRuntime.Build.CodexInstaller.FindRepositoryRoot(AppContext.BaseDirectory);
}

