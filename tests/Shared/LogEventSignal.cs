using Microsoft.Extensions.Logging;

namespace CodexRuntime.Tests.Shared;

/// <summary>
/// A logger provider that calls <paramref name="logged"/> each time an entry with event id <paramref name="eventId"/>
/// is written, so a test (or a test's child process) can await a log event instead of polling for its effect.
/// </summary>
/// <param name="eventId">The event id to watch.</param>
/// <param name="logged">Called on the logging thread, once per matching entry.</param>
internal sealed class LogEventSignal(int eventId, Action logged) : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId entryId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (entryId.Id == eventId)
        {
            logged();
        }
    }

    public void Dispose()
    {
    }
}
