using CodexRuntime.Protocol;

namespace CodexRuntime.ServerRequests;

/// <summary>Answers <c>item/tool/call</c>: runs a dynamic tool the client registered.</summary>
public interface IDynamicToolCallHandler : ICodexServerRequestHandler<DynamicToolCallParams, DynamicToolCallResponse>;
