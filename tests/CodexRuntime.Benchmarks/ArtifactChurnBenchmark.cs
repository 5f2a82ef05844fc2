using System.Diagnostics;
using System.Globalization;
using CodexRuntime.Artifact;
using CodexRuntime.Testing;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// A long-running service's artifact churn: one <see cref="ArtifactSessionManager"/> opens N artifacts one after the
/// other (each a <c>thread/start</c> on the in-memory <see cref="ScriptedAppServer"/> and a first save in a real
/// <see cref="FsArtifactStore"/> in a temporary folder) and closes each after use; the baseline in the same process
/// never closes (the behaviour before <see cref="ArtifactSessionManager.CloseAsync"/>). Prints the managed heap after a
/// full collection and the counts of the manager's maps, the store's gates and the client's sessions at checkpoints.
/// </summary>
internal static class ArtifactChurnBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        int[] checkpoints = [.. new[] { 0, 1_000, 5_000, 10_000 }.Where(c => c < count), count];
        checkpoints = [.. checkpoints.Distinct()];

        await ChurnAsync(Math.Min(200, count), close: true, checkpoints: [], print: false); // warm-up: JIT, pools
        Console.WriteLine($"artifact churn: {count:N0} artifacts opened one after the other on one manager (scripted app-server, FsArtifactStore in a temp folder)");
        var closing = await ChurnAsync(count, close: true, checkpoints, print: true);
        var baseline = await ChurnAsync(count, close: false, checkpoints, print: true);
        Console.WriteLine();
        Console.WriteLine("growth of the managed heap over the run (heap at the checkpoint minus heap at 0):");
        for (var i = 1; i < checkpoints.Length; i++)
        {
            var withClose = closing[i] - closing[0];
            var without = baseline[i] - baseline[0];
            Console.WriteLine($"  {checkpoints[i],6:N0} artifacts: closing {Kib(withClose),10} KiB, never closing {Kib(without),10} KiB (closing/never {Ratio(withClose, without)})");
        }

        return 0;
    }

    private static async Task<long[]> ChurnAsync(int count, bool close, int[] checkpoints, bool print)
    {
        var root = Directory.CreateTempSubdirectory("artifact-churn-").FullName;
        var heaps = new List<long>();
        try
        {
            await using var server = new ScriptedAppServer();
            await using var client = new CodexClient(server.Attach(new ClientConfig()));
            var store = new FsArtifactStore(root);
            await using var manager = new ArtifactSessionManager(client, store, new ArtifactOptions { WorkingDirectory = root });
            if (print)
            {
                Console.WriteLine();
                Console.WriteLine(close ? "closing each artifact after use:" : "baseline, never closing:");
                Console.WriteLine("  artifacts   heap (KiB)   open sessions   manager gates   store gates   client sessions   elapsed (s)");
            }

            var clock = Stopwatch.StartNew();
            await client.ConnectAsync();
            for (var i = 0; i <= count; i++)
            {
                if (Array.IndexOf(checkpoints, i) >= 0)
                {
                    var heap = GC.GetTotalMemory(forceFullCollection: true);
                    heaps.Add(heap);
                    if (print)
                    {
                        Console.WriteLine($"  {i,9:N0}   {Kib(heap),10}   {manager.OpenCount,13:N0}   {manager.GateCount,13:N0}   {store.GateCount,11:N0}   {client.Sessions.Count,15:N0}   {clock.Elapsed.TotalSeconds,11:0.0}");
                    }
                }

                if (i == count)
                {
                    break;
                }

                var id = $"doc-{i}";
                await manager.OpenAsync(id);
                if (close)
                {
                    await manager.CloseAsync(id);
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return [.. heaps];
    }

    private static string Kib(long bytes) => (bytes / 1024.0).ToString("N0", CultureInfo.InvariantCulture);

    private static string Ratio(long part, long whole) => whole <= 0 ? "n/a" : (part / (double)whole).ToString("0.000", CultureInfo.InvariantCulture);
}
