namespace CodexRuntime.Web;

/// <summary>An approval answered with an error (schema of <see cref="WebApprovalAnswerRequest.Error"/>).</summary>
/// <param name="Message">Why, as non-empty text.</param>
public sealed record WebApprovalError(string Message);
