// Records what a real codex app-server sends during a scripted session, one JSON line per message, for the unit
// tests' recorded transcripts (tests/CodexRuntime.Tests/Recordings). Re-run it when the supported versions change:
//
//   dotnet run --project build/TranscriptRecorder -- 0.169.0 tests/CodexRuntime.Tests/Recordings
//
// The session: initialize, thread/start, a streamed text turn, a turn whose command asks for escalation (approved),
// and a turn whose apply_patch edit asks for approval (approved). What codex sent goes to codex-<version>-session.jsonl,
// what the client sent to codex-<version>-session.outbound.jsonl (to know which request each response answers). Lines are stored as received;
// volatile values (ids, paths, timestamps) are kept: tests assert on shapes, not on those values.
using System.Text;
using System.Text.Json;
using CodexRuntime;
using CodexRuntime.Build;
using CodexRuntime.Testing;
using CodexRuntime.Transport;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: TranscriptRecorder <codex-version> <output-folder>");
    return 2;
}

var version = args[0];
var outputFolder = Path.GetFullPath(args[1]);
var binary = CodexInstaller.Install(CodexInstaller.FindRepositoryRoot(AppContext.BaseDirectory), version);

await using var model = FakeModelServer.Start();
model.Enqueue(
    FakeModelResponse.StreamedText(["Hello", " from", " codex"]),
    FakeModelResponse.ExecCommand("touch approved.txt", requestEscalation: true, justification: "record an approval"),
    FakeModelResponse.Text("Created approved.txt."),
    FakeModelResponse.AddFile("patched.txt", "patched by apply_patch"),
    FakeModelResponse.Text("Added patched.txt."));
using var home = TemporaryCodexHome.Create(model, approvalPolicy: "on-request");
var workspace = Directory.CreateTempSubdirectory("codex-record-");

var process = CodexProcessTransport.Start(home.ApplyTo(new CodexProcessOptions { ExecutablePath = binary, WorkingDirectory = workspace.FullName }));
var tee = new TeeTransport(process);
// Through the runtime, as users connect: the recorded handshake is the one CodexRuntime really sends.
var runtime = new CodexRuntimeHost(new CodexRuntimeOptions { TransportFactory = _ => ValueTask.FromResult<ICodexTransport>(tee) });
await runtime.StartAsync();
var approvals = runtime.AppServer.OpenServerRequestStream();
var approving = Task.Run(async () =>
{
    await foreach (var request in approvals.ReadAllAsync())
    {
        await request.RespondAsync(Parse("""{"decision":"accept"}"""));
    }
});

var thread = await runtime.AppServer.SendRawRequestAsync("thread/start", Parse($$"""{"cwd":{{JsonSerializer.Serialize(workspace.FullName)}}}"""));
var threadId = thread.GetProperty("thread").GetProperty("id").GetString()!;
foreach (var prompt in new[] { "say hello", "create approved.txt", "add patched.txt" })
{
    var turn = await runtime.AppServer.SendRawRequestAsync("turn/start", Parse($$"""{"threadId":"{{threadId}}","input":[{"type":"text","text":"{{prompt}}"}]}"""));
    var turnId = turn.GetProperty("turn").GetProperty("id").GetString()!;
    await runtime.WaitForTurnAsync(threadId, turnId, TimeSpan.FromSeconds(60));
}

await runtime.DisposeAsync();
await approving;
Directory.CreateDirectory(outputFolder);
var file = Path.Combine(outputFolder, $"codex-{version}-session.jsonl");
await File.WriteAllTextAsync(file, tee.Transcript());
await File.WriteAllTextAsync(Path.ChangeExtension(file, ".outbound.jsonl"), tee.OutboundTranscript());
Console.WriteLine($"{file}: {tee.LineCount} lines; approved.txt exists: {File.Exists(Path.Combine(workspace.FullName, "approved.txt"))}; patched.txt exists: {File.Exists(Path.Combine(workspace.FullName, "patched.txt"))}");
workspace.Delete(recursive: true);
return 0;

static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

/// <summary>Copies every byte codex writes (and every byte sent to it) into a transcript.</summary>
internal sealed class TeeTransport(ICodexTransport inner) : ICodexTransport
{
    private readonly MemoryStream _inbound = new();

    private readonly MemoryStream _outbound = new();

    public Stream Input => _input ??= new TeeStream(inner.Input, _outbound, copyWrites: true);
    private Stream? _input;
    public Stream Output => _output ??= new TeeStream(inner.Output, _inbound);
    private Stream? _output;
    public Task<CodexTransportExit> Exited => inner.Exited;
    public string StderrTail => inner.StderrTail;
    public int LineCount => Transcript().Count(c => c == '\n');
    public string Transcript() => Encoding.UTF8.GetString(_inbound.ToArray());
    public string OutboundTranscript() => Encoding.UTF8.GetString(_outbound.ToArray());
    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class TeeStream(Stream inner, MemoryStream copy, bool copyWrites = false) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => Copy(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Copy(buffer.Span[..read]);
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            CopyWrite(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            CopyWrite(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        private void CopyWrite(ReadOnlySpan<byte> data)
        {
            if (copyWrites)
            {
                lock (this)
                {
                    copy.Write(data);
                }
            }
        }

        private int Copy(ReadOnlySpan<byte> data)
        {
            if (!copyWrites)
            {
                lock (this)
                {
                    copy.Write(data);
                }
            }

            return data.Length;
        }
    }
}
