namespace WebChat.Replicas;

/// <summary>
/// Stops a replica when the process that started it is gone, even if it was killed (SIGKILL) and could not stop its
/// children: the parent holds the write end of the replica's stdin, so the replica reads the end of its input exactly
/// when the last parent handle closes. No replica is left running after its parent.
/// </summary>
/// <param name="lifetime">The app's lifetime, to stop it.</param>
public sealed class ParentWatch(IHostApplicationLifetime lifetime) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A thread of its own: a read of stdin cannot be cancelled, and the host must not wait for it when it stops.
        var reader = new Thread(() =>
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (input.Read(buffer, 0, buffer.Length) > 0)
            {
                // The parent writes nothing: only the end matters.
            }

            Console.WriteLine("The parent process is gone: stopping this replica.");
            lifetime.StopApplication();
        })
        { IsBackground = true, Name = "WebChat parent watch" };
        reader.Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
