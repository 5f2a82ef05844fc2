namespace CodexRuntime.Artifact.Tests.Support;

/// <summary>
/// Runs work in an async flow of its own. A task started inside a held artifact lock inherits the holder's flow (and
/// so the hold); tests of "another caller waits" must start that caller without the holder's execution context.
/// </summary>
internal static class OtherFlow
{
    public static Task<T> Run<T>(Func<Task<T>> work)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(work);
        }
    }
}
