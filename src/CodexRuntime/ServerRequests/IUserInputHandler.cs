using CodexRuntime.Protocol;

namespace CodexRuntime.ServerRequests;

/// <summary>Answers <c>item/tool/requestUserInput</c>: questions the agent asks the user.</summary>
public interface IUserInputHandler : ICodexServerRequestHandler<ToolRequestUserInputParams, ToolRequestUserInputResponse>;
