using CodexRuntime.State;

namespace CodexRuntime.Tests.State;

/// <summary>Who waits for which turn.</summary>
public sealed class TurnWaitersTests
{
    [Fact]
    public void Waiters_of_one_turn_share_one_task_and_are_taken_once()
    {
        var waiters = new TurnWaiters();

        var first = waiters.For("turn");
        Assert.Same(first, waiters.For("turn"));
        Assert.NotSame(first, waiters.For("other"));

        Assert.NotNull(waiters.Take("turn"));
        Assert.Null(waiters.Take("turn"));
        Assert.Single(waiters.TakeAll());
        Assert.Empty(waiters.TakeAll());
    }
}
