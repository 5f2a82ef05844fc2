namespace CodexRuntime.Automation;

/// <summary>One <c>AddAutomation</c> call: the automation's name, the client it runs on (empty for the default client) and its spec.</summary>
internal sealed record AutomationDefinition(string Name, string ClientName, AutomationSpec Spec);
