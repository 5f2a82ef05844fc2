namespace CodexRuntime.Automation;

/// <summary>
/// Another automation of the same name runs on the same state store (in this process, another process or another host
/// sharing the store): a second one would run every due point again, so it is refused.
/// </summary>
public sealed class AutomationOwnedException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="automationName"/>, owned by <paramref name="owner"/>.</summary>
    /// <param name="automationName">The automation's name.</param>
    /// <param name="owner">The owner the store recorded; null when it has not recorded one yet (the owner is just starting).</param>
    /// <param name="where">Where the ownership is kept (the lock file), for the message.</param>
    public AutomationOwnedException(string automationName, AutomationOwner? owner, string where)
        : base($"The automation '{automationName}' is already running on this state store, owned by {owner?.ToString() ?? "a process that has not recorded itself yet"} ({where}). " +
               "One automation owns its name on a store at a time; stop that one first (the ownership ends with its process, also if it crashes).")
    {
        AutomationName = automationName;
        Owner = owner;
    }

    /// <summary>The automation's name.</summary>
    public string AutomationName { get; }

    /// <summary>The owner the store recorded, or null when it has not recorded one yet.</summary>
    public AutomationOwner? Owner { get; }
}
