using Microsoft.Extensions.Options;

// The root namespace: internal registration plumbing of the root layer (it binds ClientConfig and builds CodexClient);
// the file stays in Hosting/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>
/// Validates every <see cref="ClientConfig"/> the options system creates with <see cref="ClientConfig.Validate"/>; each
/// failure names the client, its configuration section, the setting and the fix. With <c>ValidateOnStart</c> an
/// invalid client fails <c>host.StartAsync</c> with an <see cref="OptionsValidationException"/>.
/// </summary>
internal sealed class ClientConfigValidator : IValidateOptions<ClientConfig>
{
    public ValidateOptionsResult Validate(string? name, ClientConfig options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var client = CodexClientNames.Describe(name ?? Options.DefaultName);
        return ValidateOptionsResult.Fail(problems.Select(problem => $"{client}: {problem}"));
    }
}
