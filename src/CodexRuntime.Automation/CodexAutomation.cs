namespace CodexRuntime.Automation;

/// <summary>Starts automations: recurring turns of one prompt on one prepared <see cref="CodexSession"/> (layer 4).</summary>
public static class CodexAutomation
{
    /// <summary>
    /// Starts running <paramref name="spec"/> on <paramref name="session"/>, which it reuses for every run (it never
    /// creates, resumes or closes a session). With a state store in <paramref name="options"/> it continues from the
    /// checkpoint of the same name. Returns once the first due time (or the end) is decided and saved.
    /// </summary>
    /// <param name="session">An open session; a closed one ends the automation as <see cref="AutomationState.Failed"/>.</param>
    /// <param name="spec">The prompt and the schedule.</param>
    /// <param name="options">Name, clock, state store, logging, metrics; defaults when null.</param>
    /// <param name="cancellationToken">Abandons loading the checkpoint.</param>
    /// <returns>The handle: status, runs, stop, completion.</returns>
    /// <exception cref="ArgumentException">The spec sets neither or both of <see cref="AutomationSpec.Every"/> and <see cref="AutomationSpec.Cron"/>, has no prompt or a negative <see cref="AutomationSpec.MaxRuns"/>, or the name is empty, longer than <see cref="AutomationOptions.MaxNameLength"/> or not valid Unicode.</exception>
    /// <exception cref="InvalidDataException">The state store's checkpoint for the name is damaged (the automation does not run).</exception>
    /// <exception cref="AutomationOwnedException">Another automation of the same name runs on the same state store (this process, another process or host); the exception names its owner.</exception>
    public static Task<AutomationHandle> StartAsync(CodexSession session, AutomationSpec spec, AutomationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(spec);
        spec.EnsureShape();
        options ??= new AutomationOptions();
        // Before the store is touched: a name that cannot have a file of its own must not write one.
        AutomationName.Validate(options.Name, "AutomationOptions.Name", nameof(options));

        return AutomationHandle.StartAsync(session, spec, options, cancellationToken);
    }

    /// <summary>
    /// <c>session.StartAutomationAsync(spec)</c>: the same as <see cref="StartAsync"/>, read from the session.
    /// </summary>
    /// <param name="session">An open session, reused for every run.</param>
    /// <param name="spec">The prompt and the schedule.</param>
    /// <param name="options">Name, clock, state store, logging, metrics; defaults when null.</param>
    /// <param name="cancellationToken">Abandons loading the checkpoint.</param>
    /// <returns>The handle: status, runs, stop, completion.</returns>
    /// <exception cref="ArgumentException">The spec or the name is not usable (see <see cref="StartAsync"/>).</exception>
    public static Task<AutomationHandle> StartAutomationAsync(this CodexSession session, AutomationSpec spec, AutomationOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(session, spec, options, cancellationToken);
}
