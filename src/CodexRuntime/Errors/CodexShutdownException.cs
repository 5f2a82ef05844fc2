
namespace CodexRuntime;

/// <summary>
/// The run itself succeeded but cleaning up after it (archiving the thread, stopping the process) failed. The result
/// is attached so it is not lost.
/// </summary>
public sealed class CodexShutdownException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="step">What failed, e.g. <c>archiving the thread</c>.</param>
    /// <param name="result">The run's result, when it had one.</param>
    /// <param name="innerException">The failure.</param>
    public CodexShutdownException(string step, PromptRunResult? result, Exception innerException)
        : base($"The run finished, but {step} failed: {innerException?.Message} The result is in Result.", innerException)
    {
        Result = result;
    }

    /// <summary>The run's result, when it had one.</summary>
    public PromptRunResult? Result { get; }
}
