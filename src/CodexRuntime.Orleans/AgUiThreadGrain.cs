using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CodexRuntime.Web;
using Orleans;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CodexRuntime.Orleans;

/// <summary>
/// An AG-UI thread's address in the cluster. The thread itself (its session, its codex thread, the runs a client can
/// re-attach to, its interrupts) is its silo's <see cref="WebAgUiRuns"/>'s, in that silo's memory; the grain runs each
/// of the thread's runs there, whichever replica the run was posted to.
/// </summary>
/// <remarks>
/// <para><c>[SessionSiloPlacement]</c>: the key begins with no silo's token, so the director places the grain on the
/// silo the key ranks first among the cluster's silos (rendezvous hashing): every replica reaches the same activation,
/// and the thread's first run decides where it lives.</para>
/// <para><c>[Immovable]</c> and <c>[CollectionAgeLimit(AlwaysActive = true)]</c>: the thread stays in its silo's memory;
/// an activation rebalanced away, or collected and placed again after silos joined (the ranking would change), would
/// find no thread there. One idle activation per thread, like the thread's own entry in the adapter; an activation
/// whose first run was refused (an unknown thread, most likely) is let go.</para>
/// <para><c>[Reentrant]</c>: a run streams for as long as its turn, and the thread's next runs (re-attaching, answering
/// an interrupt) come meanwhile; <see cref="WebAgUiRuns"/> orders what the runs of a thread decide.</para>
/// </remarks>
[Reentrant]
[SessionSiloPlacement]
[Immovable]
[CollectionAgeLimit(AlwaysActive = true)]
internal sealed class AgUiThreadGrain(WebAgUiRuns runs) : Grain, IAgUiThreadGrain
{
    /// <summary>The prefix of every key: not hex, so a key never begins with a silo's token.</summary>
    private const string Prefix = "agui-";

    /// <summary>Whether a run of this activation started (its thread is in this silo's adapter).</summary>
    private bool _ran;

    /// <summary>
    /// The grain of <paramref name="tenant"/>'s <paramref name="threadId"/>: a hash of both (the tenant's length first,
    /// so no other pair of strings gives the same input), of one fixed shape whatever a client names its thread.
    /// </summary>
    public static string Key(string tenant, string threadId) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenant.Length}:{tenant}{threadId}")));

    public async IAsyncEnumerable<string> RunAsync(string tenant, string threadId, byte[] body, string traceId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The adapter keys threads by tenant and threadId as well; this keeps each thread on its own grain's silo.
        if (Key(tenant, threadId) != this.GetPrimaryKeyString())
        {
            throw new ArgumentException("The grain's key is not this tenant's thread.", nameof(threadId));
        }

        IAsyncEnumerable<string> events;
        try
        {
            using var json = JsonDocument.Parse(body);
            // Cloned: the thread keeps parts of its first run's body (its client tools) beyond this call.
            events = await runs.RunAsync(tenant, threadId, json.RootElement.Clone(), traceId, cancellationToken).ConfigureAwait(true);
        }
        catch (CodexWebException ex)
        {
            if (!_ran)
            {
                DeactivateOnIdle(); // most likely an unknown thread: no activation stays behind for every id a client sends
            }

            throw new SessionRefusedException(ex);
        }

        _ran = true;

        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(true))
        {
            yield return e;
        }
    }
}
