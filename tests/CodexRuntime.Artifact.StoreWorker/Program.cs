// A separate process driving an FsArtifactStore, for tests that need two processes (not threads):
//   cas <root> <artifactId> <name> <count>   after "go" on stdin, appends "<name> <i>" lines by compare-and-swap, <count> times;
//                                            prints "saved <previous> <new>" per save, then "done <conflicts>"
//   hold <root> <artifactId>                 takes the artifact's lock, prints "locked <pid>", holds it until stdin closes
//   load <root> <artifactId> <timeoutMs>     loads with that lock timeout; prints "loaded <text without line ends>" or "locktimeout"
using CodexRuntime.Artifact;
using CodexRuntime.Artifact.Storage;

var lockTimeout = args[0] == "load" ? TimeSpan.FromMilliseconds(int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)) : TimeSpan.FromSeconds(60);
var store = new FsArtifactStore(args[1], new FsArtifactStoreOptions { LockTimeout = lockTimeout });
var id = args[2];
switch (args[0])
{
    case "cas":
    {
        var name = args[3];
        var count = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine("ready");
        _ = Console.ReadLine();
        var conflicts = 0;
        for (var i = 1; i <= count; i++)
        {
            while (true)
            {
                var current = await store.LoadAsync(id) ?? throw new InvalidOperationException($"artifact {id} does not exist");
                try
                {
                    var saved = await store.SaveAsync(id, new ArtifactSave(current.Revision, current.Text + $"{name} {i}\n", current.Meta.Title, current.Meta.Format, null));
                    Console.WriteLine($"saved {current.Revision} {saved.Revision}");
                    break;
                }
                catch (ArtifactException ex) when (ex.Kind == ArtifactErrorKind.Conflict)
                {
                    conflicts++;
                }
            }
        }

        Console.WriteLine($"done {conflicts}");
        return 0;
    }

    case "hold":
    {
        await using var held = await store.LockAsync(id);
        Console.WriteLine($"locked {Environment.ProcessId}");
        await Console.In.ReadToEndAsync();
        return 0;
    }

    case "load":
    {
        try
        {
            var record = await store.LoadAsync(id);
            Console.WriteLine($"loaded {record?.Text.ReplaceLineEndings(string.Empty)}");
        }
        catch (ArtifactException ex) when (ex.Kind == ArtifactErrorKind.LockTimeout)
        {
            Console.WriteLine("locktimeout");
        }

        return 0;
    }

    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 2;
}
