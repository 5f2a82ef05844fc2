using System.Text.Json;
using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;
using CodexRuntime.Protocol.Names;
using Microsoft.Extensions.Logging;

// Rpc, not Diagnostics: it reads inbound messages, and Diagnostics sits below Rpc (the file stays in Diagnostics/
// until the folders are regrouped).
namespace CodexRuntime.Rpc;

/// <summary>
/// Recognizes codex's own signals among the notifications (retried and final errors, warnings, config warnings,
/// deprecation notices), logs each at Warning and keeps the most recent ones. Everything else passes by at the cost
/// of one method-name comparison.
/// </summary>
internal sealed class NoticeRecorder(ILogger logger, TimeProvider time, int capacity = NoticeRecorder.DefaultCapacity)
{
    /// <summary>How many notices are kept.</summary>
    public const int DefaultCapacity = 100;

    private readonly Queue<CodexNotice> _recent = new();
    private readonly Lock _gate = new();

    /// <summary>The most recent notices, oldest first.</summary>
    public IReadOnlyList<CodexNotice> Recent
    {
        get
        {
            lock (_gate)
            {
                return [.. _recent];
            }
        }
    }

    /// <summary>Called on the reader loop for every notification.</summary>
    public void Observe(CodexInboundMessage message)
    {
        if (message.Method is not (CodexNotificationNames.Error or CodexNotificationNames.Warning
            or CodexNotificationNames.ConfigWarning or CodexNotificationNames.DeprecationNotice))
        {
            return;
        }

        CodexNotice notice;
        try
        {
            notice = Read(message);
        }
        catch (JsonException)
        {
            // A shape another codex version sends: the raw envelope still has it.
            return;
        }

        Log.CodexNotice(logger, notice.Kind, notice.Message, notice.Details ?? string.Empty, notice.ThreadId ?? "-", notice.TurnId ?? "-");
        lock (_gate)
        {
            if (_recent.Count == capacity)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(notice);
        }
    }

    private CodexNotice Read(CodexInboundMessage message)
    {
        var now = time.GetUtcNow();
        switch (message.Method)
        {
            case CodexNotificationNames.Error:
                var error = message.ReadParams(CodexNotifications.Error);
                return new(error.WillRetry ? CodexNoticeKind.Retrying : CodexNoticeKind.Error, error.Error.Message, error.Error.AdditionalDetails, error.ThreadId, error.TurnId, now);
            case CodexNotificationNames.Warning:
                var warning = message.ReadParams(CodexNotifications.Warning);
                return new(CodexNoticeKind.Warning, warning.Message, null, warning.ThreadId, null, now);
            case CodexNotificationNames.ConfigWarning:
                var config = message.ReadParams(CodexNotifications.ConfigWarning);
                return new(CodexNoticeKind.ConfigWarning, config.Summary, config.Details ?? config.Path, null, null, now);
            default:
                var deprecation = message.ReadParams(CodexNotifications.DeprecationNotice);
                return new(CodexNoticeKind.DeprecationNotice, deprecation.Summary, deprecation.Details, null, null, now);
        }
    }
}
