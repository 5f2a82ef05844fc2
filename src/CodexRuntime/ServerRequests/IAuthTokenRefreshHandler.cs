using CodexRuntime.Protocol;

namespace CodexRuntime.ServerRequests;

/// <summary>Answers <c>account/chatgptAuthTokens/refresh</c>: fresh tokens for externally managed ChatGPT auth.</summary>
public interface IAuthTokenRefreshHandler : ICodexServerRequestHandler<ChatgptAuthTokensRefreshParams, ChatgptAuthTokensRefreshResponse>;
