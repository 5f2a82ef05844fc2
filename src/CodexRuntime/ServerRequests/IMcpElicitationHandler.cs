using CodexRuntime.Protocol;

namespace CodexRuntime.ServerRequests;

/// <summary>Answers <c>mcpServer/elicitation/request</c> (codex 0.169.0 and later): input an MCP server asks for.</summary>
public interface IMcpElicitationHandler : ICodexServerRequestHandler<McpServerElicitationRequestParams, McpServerElicitationRequestResponse>;
