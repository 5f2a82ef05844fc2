using CodexRuntime.Events;

// The root namespace with every other exception, so that Events (which raises it through the error its stream is
// given) never names CodexException; the file stays in Events/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>A <see cref="CodexSubscriptionOverflow.Disconnect"/> subscription fell behind by more than its capacity and was ended.</summary>
public sealed class CodexSubscriptionOverflowException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="capacity">The subscription's capacity.</param>
    /// <param name="sequence">The sequence number of the first envelope that did not fit.</param>
    public CodexSubscriptionOverflowException(int capacity, long sequence)
        : base($"The subscriber fell more than {capacity} envelopes behind; envelope #{sequence} and everything after it were not delivered. Read faster, raise Capacity, or use DropOldest and recover lost turns with thread/read.")
    {
        Capacity = capacity;
        Sequence = sequence;
    }

    /// <summary>The subscription's capacity.</summary>
    public int Capacity { get; }

    /// <summary>The sequence number of the first envelope that was not delivered.</summary>
    public long Sequence { get; }

    /// <summary>The overflow error an envelope stream is built with (a constructor is not a method group).</summary>
    internal static Exception Create(int capacity, long sequence) => new CodexSubscriptionOverflowException(capacity, sequence);
}
