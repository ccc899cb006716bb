using System.Text;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// One problem with a scenario's input, already worded as the single line a user sees:
/// <c>SOURCE: key 'traffic.rate': value '-5Mbps' is invalid: expected a positive rate such as 80Mbps or 1Gbps</c>.
/// The source is whichever input supplied the bad value: the scenario file, the profile,
/// <c>--set</c>, or the built-in defaults.
/// </summary>
/// <param name="Source">The file path (as the user gave it), <c>--set</c>, <c>--profile</c> or <c>built-in defaults</c>.</param>
/// <param name="KeyPaths">The dotted key paths involved (none for a file that cannot be read, two for a conflict).</param>
/// <param name="Value">The offending value, or null when there is none (a missing key, a file error).</param>
/// <param name="Line">The whole message, on one line.</param>
public sealed record ScenarioError(string Source, IReadOnlyList<string> KeyPaths, string? Value, string Line)
{
    /// <summary>The display name of the built-in defaults layer.</summary>
    public const string DefaultsSource = "built-in defaults";

    /// <summary>The display name of the command-line overrides layer.</summary>
    public const string SetSource = "--set";

    /// <summary>The first key path involved, or null.</summary>
    public string? KeyPath => KeyPaths.Count > 0 ? KeyPaths[0] : null;

    /// <summary>A value that does not parse or lies outside what is allowed.</summary>
    /// <param name="source">Where the value came from.</param>
    /// <param name="keyPath">The dotted key path.</param>
    /// <param name="value">The value as written.</param>
    /// <param name="expected">What is allowed, with an example ("expected a duration such as 60s").</param>
    /// <returns>The error.</returns>
    public static ScenarioError InvalidValue(string source, string keyPath, string value, string expected) =>
        new(source, [keyPath], value, $"{Clean(source)}: key '{keyPath}': value '{CleanValue(value)}' is invalid: {expected}");

    /// <summary>A required key that no layer sets.</summary>
    /// <param name="source">The scenario file (where the key belongs).</param>
    /// <param name="keyPath">The dotted key path.</param>
    /// <param name="expected">What the key takes, with an example.</param>
    /// <returns>The error.</returns>
    public static ScenarioError Missing(string source, string keyPath, string expected) =>
        new(source, [keyPath], null, $"{Clean(source)}: key '{keyPath}' is required: {expected}");

    /// <summary>A key that the scenario schema does not have.</summary>
    /// <param name="source">Where the key came from.</param>
    /// <param name="keyPath">The dotted key path as written.</param>
    /// <param name="allowedHere">The keys allowed beside it.</param>
    /// <returns>The error.</returns>
    public static ScenarioError UnknownKey(string source, string keyPath, IReadOnlyCollection<string> allowedHere) =>
        new(source, [keyPath], null, allowedHere.Count == 0
            ? $"{Clean(source)}: unknown key '{CleanValue(keyPath)}' (no keys are allowed here)"
            : $"{Clean(source)}: unknown key '{CleanValue(keyPath)}' (allowed here: {string.Join(", ", allowedHere)})");

    /// <summary>Two keys whose values are each valid but do not fit together.</summary>
    /// <param name="source">Where the offending value came from.</param>
    /// <param name="keyPath">The first key.</param>
    /// <param name="otherKeyPath">The key it conflicts with.</param>
    /// <param name="problem">What is wrong and what would be allowed, naming the values.</param>
    /// <returns>The error.</returns>
    public static ScenarioError Conflict(string source, string keyPath, string otherKeyPath, string problem) =>
        new(source, [keyPath, otherKeyPath], null, $"{Clean(source)}: keys '{keyPath}' and '{otherKeyPath}': {problem}");

    /// <summary>A whole input that cannot be used: missing, unreadable, malformed, of an unknown type.</summary>
    /// <param name="source">The file path or option.</param>
    /// <param name="problem">What is wrong.</param>
    /// <returns>The error.</returns>
    public static ScenarioError Input(string source, string problem) =>
        new(source, [], null, $"{Clean(source)}: {Clean(problem)}");

    /// <summary>The line.</summary>
    /// <returns><see cref="Line"/>.</returns>
    public override string ToString() => Line;

    /// <summary>Keeps text on one line: line breaks and other control characters become escapes.</summary>
    /// <param name="text">Text from a file or the command line.</param>
    /// <returns>Text without line breaks.</returns>
    internal static string Clean(string text) => Clean(text, int.MaxValue);

    /// <summary>Keeps a user's value on one line and short: escapes as <see cref="Clean(string)"/>, cut after 80 characters.</summary>
    /// <param name="text">A value from a file or the command line.</param>
    /// <returns>Text without line breaks, at most 83 characters.</returns>
    internal static string CleanValue(string text) => Clean(text, 80);

    private static string Clean(string text, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 256));
        foreach (char c in text)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append("...");
                break;
            }

            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }
}
