namespace CodexRuntime.Rpc;

/// <summary>
/// An <see cref="ICodexMessageObserver"/> whose <see cref="ICodexMessageObserver.OnServerRequestAsync"/> the reader
/// loop calls itself, so that a server request is routed at its place on the wire, between the notifications around
/// it. Up to its first await it only routes (no handler, filter or other caller code runs there, nothing blocks); the
/// rest of the answer runs off the reader.
/// </summary>
internal interface IWireOrderObserver : ICodexMessageObserver
{
}
