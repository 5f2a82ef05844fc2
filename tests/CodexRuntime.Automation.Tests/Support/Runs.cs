namespace CodexRuntime.Automation.Tests.Support;

/// <summary>Awaits an automation's runs through its own reader (each call has its own cursor), within a deadline.</summary>
internal static class Runs
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>The first <paramref name="count"/> runs the handle kept, waiting for them to finish.</summary>
    public static async Task<List<AutomationRun>> WaitForRunsAsync(this AutomationHandle handle, int count, TimeSpan? deadline = null)
    {
        using var timer = new CancellationTokenSource(deadline ?? Deadline);
        var runs = new List<AutomationRun>();
        try
        {
            await foreach (var run in handle.ReadRunsAsync(timer.Token))
            {
                runs.Add(run);
                if (runs.Count == count)
                {
                    return runs;
                }
            }
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            Assert.Fail($"{handle.Name}: {runs.Count} of {count} runs finished within the deadline; status {handle.Status}.");
        }

        Assert.Fail($"{handle.Name} ended after {runs.Count} of {count} runs; status {handle.Status}.");
        return runs;
    }

    /// <summary>The run numbered <paramref name="count"/> (1-based in this handle's log).</summary>
    public static async Task<AutomationRun> WaitForRunAsync(this AutomationHandle handle, int count, TimeSpan? deadline = null) =>
        (await handle.WaitForRunsAsync(count, deadline))[count - 1];

    /// <summary>The final status, within the deadline.</summary>
    public static Task<AutomationStatus> EndedAsync(this AutomationHandle handle, TimeSpan? deadline = null) =>
        handle.Completion.WaitAsync(deadline ?? Deadline);
}
