using CodexRuntime.Artifact.Storage;
using CodexRuntime.Artifact.Tests.Support;

namespace CodexRuntime.Artifact.Tests;

/// <summary>
/// The reference-counted per-key gates of the manager and the store: a gate goes when its last user leaves, and never
/// while a waiter holds it (else two callers would get two different gates and be inside together).
/// </summary>
public sealed class GateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_gate_with_a_waiter_stays_when_its_holder_returns_it_and_goes_with_the_last_user()
    {
        var gates = new KeyedGates();
        var holder = gates.Rent("a");
        await holder.Semaphore.WaitAsync();
        var waiter = gates.Rent("a");
        var waiting = waiter.Semaphore.WaitAsync();
        Assert.False(waiting.IsCompleted);

        holder.Semaphore.Release();
        holder.Return();
        await waiting.WaitAsync(Deadline);

        // The waiter's gate is still the key's gate: a newcomer must wait behind it, not get a fresh one.
        Assert.Equal(1, gates.Count);
        var newcomer = gates.Rent("a");
        Assert.Same(waiter, newcomer);
        Assert.False(newcomer.Semaphore.Wait(0));

        waiter.Semaphore.Release();
        waiter.Return();
        newcomer.Return();
        Assert.Equal(0, gates.Count);
    }

    [Fact]
    public async Task Many_callers_on_few_keys_are_never_inside_together_and_leave_no_gate()
    {
        var gates = new KeyedGates();
        var inside = new int[3];
        var overlaps = 0;
        var entries = 0;
        var workers = Enumerable.Range(0, 32).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 400; i++)
            {
                var key = (w + i) % inside.Length;
                var gate = gates.Rent("k" + key);
                try
                {
                    // Alternate a synchronous take and an asynchronous wait, as the store does.
                    if (!gate.Semaphore.Wait(0))
                    {
                        await gate.Semaphore.WaitAsync();
                    }

                    try
                    {
                        if (Interlocked.Increment(ref inside[key]) != 1)
                        {
                            Interlocked.Increment(ref overlaps);
                        }

                        Interlocked.Increment(ref entries);
                        await Task.Yield();
                        Interlocked.Decrement(ref inside[key]);
                    }
                    finally
                    {
                        gate.Semaphore.Release();
                    }
                }
                finally
                {
                    gate.Return();
                }
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(Deadline);

        Assert.Equal((0, 32 * 400), (overlaps, entries));
        Assert.Equal(0, gates.Count);
    }

    [Fact]
    public async Task The_store_keeps_exclusion_under_contention_and_no_gate_afterwards()
    {
        using var root = new TempFolder();
        // A generous lock timeout: six flows queue per id on a loaded machine; exclusion, not speed, is under test.
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = TimeSpan.FromSeconds(60) });
        var ids = new[] { "a", "b" };
        var inside = new int[ids.Length];
        var overlaps = 0;
        var workers = Enumerable.Range(0, 12).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var index = (w + i) % ids.Length;
                await using (await store.LockAsync(ids[index]))
                {
                    if (Interlocked.Increment(ref inside[index]) != 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    await Task.Yield();
                    Interlocked.Decrement(ref inside[index]);
                }

                // Plain calls take and return the gate too.
                await store.LoadAsync(ids[index]);
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(Deadline);

        Assert.Equal(0, overlaps);
        Assert.Equal(0, store.GateCount);
    }

    [Fact]
    public async Task A_lock_timeout_returns_the_waiters_gate()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(50) });
        var held = await store.LockAsync("a");
        // Another flow (not started by the holder) waits, gives up, and must not leave its gate behind.
        var refused = await OtherFlow.Run(() => Assert.ThrowsAsync<ArtifactException>(() => store.LoadAsync("a")));
        Assert.Equal(ArtifactErrorKind.LockTimeout, refused.Kind);
        Assert.Equal(1, store.GateCount);

        await held.DisposeAsync();
        Assert.Equal(0, store.GateCount);
    }
}
