using CodexRuntime.State;

namespace CodexRuntime.Tests.State;

/// <summary>The bounded store under the projection: what it keeps and what it forgets.</summary>
public sealed class TrackStoreTests
{
    [Fact]
    public void A_thread_with_a_running_turn_is_never_forgotten()
    {
        var store = new TrackStore(new CodexStateOptions { MaxThreads = 1 }, TimeProvider.System);
        store.Turn("t1", "turn1");

        store.Thread("t2");

        Assert.Contains(store.Threads, t => t.Id == "t1");
        Assert.True(store.TryGetTurn("turn1", out var turn));
        Assert.Null(turn.CompletedAt);
    }

    [Fact]
    public void Past_MaxThreads_the_least_recently_active_idle_thread_is_forgotten_not_the_new_one()
    {
        var store = new TrackStore(new CodexStateOptions { MaxThreads = 2 }, TimeProvider.System);
        store.Turn("old", "turn-old").CompletedAt = DateTimeOffset.UnixEpoch;
        store.Turn("recent", "turn-recent").CompletedAt = DateTimeOffset.UnixEpoch;
        store.Thread("old");
        store.Thread("recent");

        store.Turn("new", "turn-new");

        Assert.Equal(["new", "recent"], store.Threads.Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.False(store.TryGetTurn("turn-old", out _));
        Assert.True(store.TryGetTurn("turn-new", out _));
    }

    [Fact]
    public void Trimming_forgets_the_oldest_completed_turn_and_its_items()
    {
        var store = new TrackStore(new CodexStateOptions { MaxTurnsPerThread = 1 }, TimeProvider.System);
        var first = store.Turn("t", "turn1");
        store.DeltaItem("t", "turn1", "item1").Text.Append("old"u8);
        first.CompletedAt = DateTimeOffset.UnixEpoch;

        store.Turn("t", "turn2");

        var thread = Assert.Single(store.Threads);
        Assert.Equal(["turn2"], thread.Turns.Select(t => t.Id));
        Assert.Equal(1, thread.ForgottenTurns);
        Assert.False(store.HasItem("turn1", "item1"));
        // The delta shortcut was dropped with the turn: a late delta starts a fresh item instead of the forgotten one.
        Assert.Equal(string.Empty, store.DeltaItem("t", "turn1", "item1").Text.Snapshot().ToString());
    }

    [Fact]
    public void Deltas_of_one_item_land_on_the_same_track()
    {
        var store = new TrackStore(new CodexStateOptions(), TimeProvider.System);

        var first = store.DeltaItem("t", "turn", "item");
        var second = store.DeltaItem("t", "turn", "item");
        var other = store.DeltaItem("t", "turn", "other");

        Assert.Same(first, second);
        Assert.NotSame(first, other);
        Assert.Same(first, store.Item("t", "turn", "item"));
    }
}
