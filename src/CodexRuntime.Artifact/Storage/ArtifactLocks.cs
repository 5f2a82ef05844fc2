using System.Globalization;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Artifact.Storage;

/// <summary>
/// The artifact locks of one file store: this process's gate per artifact folder, the hold of an async flow that took
/// the lock (<see cref="FlowLock"/>), and the lock file against other processes (<see cref="ArtifactFileLock"/>).
/// A lock not free within the timeout throws <see cref="TimeoutException"/> with the message a caller should see; the
/// store turns it into its public exception.
/// </summary>
internal sealed class ArtifactLocks(TimeSpan lockTimeout, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// One gate per artifact folder for the whole process, shared by every store instance on the same root; a folder's
    /// gate exists only while a call holds or waits for it, so a long-running process does not keep one per artifact.
    /// </summary>
    private static readonly KeyedGates Gates = new();

    /// <summary>Called with the artifact id when a call finds the lock taken in this process and starts to wait.</summary>
    public Action<string>? Waiting { get; set; }

    /// <summary>How many in-memory gates of folders directly under <paramref name="root"/> exist (held or waited for).</summary>
    public static int GateCount(string root) =>
        Gates.CountWhere(folder => string.Equals(Path.GetDirectoryName(folder), Path.TrimEndingDirectorySeparator(root), StringComparison.Ordinal));

    /// <summary>Takes the lock of <paramref name="folder"/> for the calling flow until the handle is disposed (see FsArtifactStore.LockAsync).</summary>
    public Task<IAsyncDisposable> HoldAsync(string artifactId, string folder, CancellationToken cancellationToken)
    {
        // Not async on purpose: the flow mark must be set in the caller's flow (see FlowLock.Mark).
        if (FlowLock.HeldByThisFlow(folder) is not null)
        {
            return Task.FromResult<IAsyncDisposable>(PartOfOuterHold.Instance);
        }

        return AcquireAsync(artifactId, folder, FlowLock.Mark(folder), cancellationToken);
    }

    /// <summary>The lock for one store call: the held lock when this flow holds it, else the lock taken for the call.</summary>
    public async Task<IAsyncDisposable> EnterAsync(string artifactId, string folder, CancellationToken cancellationToken)
    {
        if (FlowLock.HeldByThisFlow(folder) is { } hold)
        {
            var entered = hold.Calls.Wait(0);
            if (!entered)
            {
                Waiting?.Invoke(artifactId);
                entered = await hold.Calls.WaitAsync(lockTimeout, cancellationToken).ConfigureAwait(false);
            }

            if (!entered)
            {
                throw new TimeoutException(
                    $"Another call made under this flow's held lock of artifact '{artifactId}' did not finish within the lock timeout ({lockTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s).");
            }

            if (hold.IsHeld)
            {
                return new CallUnderHold(hold);
            }

            hold.Calls.Release(); // the hold ended while this call waited: take the lock like anyone else
        }

        return await AcquireAsync(artifactId, folder, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>This process's gate, then the lock file; <paramref name="hold"/> (a <see cref="HoldAsync"/>) is marked held once both are taken.</summary>
    private async Task<IAsyncDisposable> AcquireAsync(string artifactId, string folder, FlowLock? hold, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + lockTimeout;
        var gate = Gates.Rent(folder);
        bool entered;
        try
        {
            entered = gate.Semaphore.Wait(0);
            if (!entered)
            {
                Waiting?.Invoke(artifactId);
                entered = await gate.Semaphore.WaitAsync(lockTimeout, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            gate.Return();
            throw;
        }

        if (!entered)
        {
            gate.Return();
            throw new TimeoutException(
                $"The lock of artifact '{artifactId}' is held by another caller in this process; it was not released within the lock timeout ({lockTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s). If this caller holds the lock itself, make the call in the async flow that called LockAsync (see FsArtifactStore.LockAsync).");
        }

        try
        {
            var file = await ArtifactFileLock.AcquireAsync(folder, artifactId, deadline, time, logger, cancellationToken).ConfigureAwait(false);
            hold?.Acquired();
            return new Held(lockTimeout, logger, artifactId, gate, file, hold);
        }
        catch
        {
            gate.Semaphore.Release();
            gate.Return();
            throw;
        }
    }
    /// <summary>A held artifact lock: ends the flow's hold (if any), then lets go of the lock file and this process's gate.</summary>
    private sealed class Held(TimeSpan lockTimeout, ILogger logger, string artifactId, KeyedGates.Gate gate, ArtifactFileLock file, FlowLock? hold) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1)
            {
                return;
            }

            try
            {
                if (hold is not null)
                {
                    // A holder call still running (started by the flow, not awaited) finishes under the lock first.
                    await hold.EndAsync(lockTimeout).ConfigureAwait(false);
                }

                file.Release();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                StoreLog.ReleaseFailed(logger, artifactId, ex.GetType().Name);
            }
            finally
            {
                gate.Semaphore.Release();
                gate.Return();
            }
        }
    }

    /// <summary>One store call made under the flow's held lock: lets the holder's next call in.</summary>
    private sealed class CallUnderHold(FlowLock hold) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                hold.Calls.Release();
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A <see cref="HoldAsync"/> in a flow that holds the lock already: the outer hold releases it.</summary>
    private sealed class PartOfOuterHold : IAsyncDisposable
    {
        public static readonly PartOfOuterHold Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
