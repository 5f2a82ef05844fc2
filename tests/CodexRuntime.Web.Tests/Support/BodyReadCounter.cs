namespace CodexRuntime.Web.Tests.Support;

/// <summary>
/// Counts the request body bytes the app read, per request, by wrapping <c>HttpRequest.Body</c> in a test middleware:
/// what Kestrel discards after the response is not counted, what the endpoints buffer is.
/// </summary>
internal sealed class BodyReadCounter
{
    private long _largest;

    /// <summary>The most bytes one request's body gave the app since <see cref="Reset"/>.</summary>
    public long Largest => Interlocked.Read(ref _largest);

    public void Reset() => Interlocked.Exchange(ref _largest, 0);

    public Stream Wrap(Stream body) => new Counting(body, this);

    private void Saw(long total)
    {
        long seen;
        while (total > (seen = Interlocked.Read(ref _largest)) && Interlocked.CompareExchange(ref _largest, total, seen) != seen)
        {
        }
    }

    private sealed class Counting(Stream inner, BodyReadCounter counter) : Stream
    {
        private long _total;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _total; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _total += read;
            counter.Saw(_total);
            return read;
        }
    }
}
