using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Kbp.Sim.Models.Experiments;

/// <summary>
/// One <c>--vary key=v1,v2,...</c> of a sweep: a scenario key and the values it takes, in
/// the order given. Values are scenario values in file syntax (<c>80Mbps</c>, <c>64B</c>,
/// <c>kbp</c>, <c>4-7</c>) and are checked when each point's scenario is loaded.
/// </summary>
/// <param name="Key">The dotted key path, as written (keys are case-insensitive).</param>
/// <param name="Values">The values, in order, each non-empty and distinct.</param>
public sealed partial record SweepAxis(string Key, IReadOnlyList<string> Values)
{
    /// <summary>An example for messages.</summary>
    public const string Example = "--vary traffic.rate=80Mbps,1Gbps";

    /// <summary>
    /// Parses <c>key=v1,v2,...</c>: a dotted key path, '=', and a comma-separated list of
    /// values. Blanks around the key and each value are dropped.
    /// </summary>
    /// <param name="text">The argument of one <c>--vary</c>.</param>
    /// <param name="axis">The axis when the parse succeeds.</param>
    /// <param name="error">One line saying what is wrong, when it fails.</param>
    /// <returns>True when <paramref name="text"/> is a valid axis.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SweepAxis? axis, [NotNullWhen(false)] out string? error)
    {
        axis = null;
        int equals = text?.IndexOf('=', StringComparison.Ordinal) ?? -1;
        string key = equals < 0 ? string.Empty : text![..equals].Trim().Replace(':', '.');
        if (equals < 0 || !KeyPath().IsMatch(key))
        {
            error = $"--vary '{text}' is not key=v1,v2,...: expected a dotted key path and a comma-separated list of values, such as {Example}";
            return false;
        }

        string list = text![(equals + 1)..];
        if (list.Trim().Length == 0)
        {
            error = $"--vary {key} has no values: give a comma-separated list, such as {Example}";
            return false;
        }

        string[] values = list.Split(',').Select(v => v.Trim()).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i].Length == 0)
            {
                error = $"--vary {key}: value {i + 1} of '{list.Trim()}' is empty";
                return false;
            }

            if (!seen.Add(values[i]))
            {
                error = $"--vary {key} lists '{values[i]}' twice";
                return false;
            }
        }

        axis = new SweepAxis(key, values);
        error = null;
        return true;
    }

    /// <summary>Parses every <c>--vary</c>; a key may be varied only once.</summary>
    /// <param name="texts">The arguments, in command-line order.</param>
    /// <param name="axes">The axes, in order, when every one parses.</param>
    /// <param name="error">The first problem, on one line.</param>
    /// <returns>True when all parse and at least one was given.</returns>
    public static bool TryParseAll(IReadOnlyList<string> texts, [NotNullWhen(true)] out IReadOnlyList<SweepAxis>? axes, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(texts);
        axes = null;
        if (texts.Count == 0)
        {
            error = $"a sweep needs at least one --vary, such as {Example}";
            return false;
        }

        var list = new List<SweepAxis>(texts.Count);
        foreach (string text in texts)
        {
            if (!TryParse(text, out SweepAxis? axis, out error))
            {
                return false;
            }

            if (list.Any(a => string.Equals(a.Key, axis.Key, StringComparison.OrdinalIgnoreCase)))
            {
                error = $"--vary {axis.Key} is given twice: list all its values in one --vary";
                return false;
            }

            list.Add(axis);
        }

        axes = list;
        error = null;
        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPath();
}
