using System.Globalization;
using Microsoft.Extensions.Configuration;

// The root namespace: internal registration plumbing of the root layer (it binds ClientConfig and builds CodexClient);
// the file stays in Hosting/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>
/// Reads one typed value from a configuration section without the reflection binder (trim/AOT safe), parsed with the
/// invariant culture as the binder does, and with an error that names the key, the value and the expected form.
/// </summary>
internal static class ConfigurationValues
{
    /// <summary>The value at <paramref name="key"/> under <paramref name="section"/>, or <paramref name="fallback"/> when the key is absent.</summary>
    /// <exception cref="InvalidOperationException">The value is written but is not a <typeparamref name="T"/>.</exception>
    public static T Read<T>(IConfigurationSection section, string key, T fallback)
        where T : IParsable<T>
    {
        if (section[key] is not { } text)
        {
            return fallback;
        }

        return T.TryParse(text, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException(
                $"Configuration value '{section.Path}:{key}' is '{text}', which is not a {typeof(T).Name}; write it like '{fallback}'.");
    }
}
