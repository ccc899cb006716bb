using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>The typed accessors: one per kind of value, each parsing with <see cref="Units"/> and checking its range.</summary>
public sealed partial class ScenarioReader
{
    /// <summary>A duration in nanoseconds (<c>60s</c>, <c>4ms</c>, <c>2.2us</c>) within [<paramref name="minNs"/>, <paramref name="maxNs"/>].</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="defaultNs">The value when absent; null makes the key required.</param>
    /// <param name="minNs">The smallest allowed value (1 for "positive").</param>
    /// <param name="maxNs">The largest allowed value.</param>
    /// <param name="bareUnitNs">Nanoseconds per unit of a bare number, or null to refuse bare numbers (the default).</param>
    /// <returns>The duration, or a placeholder after recording an error.</returns>
    public long Duration(string key, long? defaultNs = null, long minNs = 0, long maxNs = long.MaxValue, long? bareUnitNs = null)
    {
        string expected = Expectation(
            "a duration", "a positive duration", minNs, maxNs, Units.FormatDuration, $"such as {Units.DurationExamples}");
        if (!TryRead(key, expected, out string? text, out long value, defaultNs))
        {
            return value;
        }

        if (!Units.TryParseDurationNs(text, out long ns, out string? error, bareUnitNs))
        {
            Invalid(key, error);
            return defaultNs ?? 0;
        }

        return InRange(key, ns, minNs, maxNs, expected, defaultNs ?? 0);
    }

    /// <summary>A rate in bits per second (<c>80Mbps</c>, <c>1Gbps</c>); it must be positive and finite.</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="defaultBps">The value when absent; null makes the key required.</param>
    /// <returns>The rate, or a placeholder after recording an error.</returns>
    public double Rate(string key, double? defaultBps = null)
    {
        string expected = $"expected a positive rate such as {Units.RateExamples}";
        if (!TryRead(key, expected, out string? text, out double value, defaultBps))
        {
            return value;
        }

        if (!Units.TryParseRateBps(text, out double bps, out string? error))
        {
            Invalid(key, error);
            return defaultBps ?? 1;
        }

        if (!(bps > 0) || double.IsInfinity(bps))
        {
            Invalid(key, expected);
            return defaultBps ?? 1;
        }

        return bps;
    }

    /// <summary>A size in bytes (<c>1518B</c>, <c>4KiB</c>, a bare integer is bytes) within [<paramref name="minBytes"/>, <paramref name="maxBytes"/>].</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="minBytes">The smallest allowed size.</param>
    /// <param name="maxBytes">The largest allowed size.</param>
    /// <param name="defaultBytes">The value when absent; null makes the key required.</param>
    /// <returns>The size, or a placeholder after recording an error.</returns>
    public long Size(string key, long minBytes, long maxBytes, long? defaultBytes = null)
    {
        string expected = Expectation(
            "a size", "a positive size", minBytes, maxBytes, b => b.ToString(CultureInfo.InvariantCulture) + "B", $"such as {Units.SizeExamples}");
        if (!TryRead(key, expected, out string? text, out long value, defaultBytes))
        {
            return value;
        }

        if (!Units.TryParseSizeBytes(text, out long bytes, out string? error))
        {
            Invalid(key, error);
            return defaultBytes ?? minBytes;
        }

        return InRange(key, bytes, minBytes, maxBytes, expected, defaultBytes ?? minBytes);
    }

    /// <summary>A frequency in hertz (<c>250Hz</c>, <c>2.1GHz</c>, a bare number is hertz); it must be positive.</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="defaultHz">The value when absent; null makes the key required.</param>
    /// <returns>The frequency, or a placeholder after recording an error.</returns>
    public double Frequency(string key, double? defaultHz = null)
    {
        string expected = $"expected a positive frequency such as {Units.FrequencyExamples}";
        if (!TryRead(key, expected, out string? text, out double value, defaultHz))
        {
            return value;
        }

        if (!Units.TryParseFrequencyHz(text, out double hz, out string? error))
        {
            Invalid(key, error);
            return defaultHz ?? 1;
        }

        if (!(hz > 0) || double.IsInfinity(hz))
        {
            Invalid(key, expected);
            return defaultHz ?? 1;
        }

        return hz;
    }

    /// <summary>A percentage (<c>5%</c>), returned as the number of percent, within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="min">The smallest allowed number of percent.</param>
    /// <param name="max">The largest allowed number of percent.</param>
    /// <param name="defaultPercent">The value when absent; null makes the key required.</param>
    /// <returns>The number of percent, or a placeholder after recording an error.</returns>
    public double Percent(string key, double min, double max, double? defaultPercent = null)
    {
        string expected = FormattableString.Invariant($"expected a percentage from {min}% to {max}%, such as {Units.PercentExamples}");
        if (!TryRead(key, expected, out string? text, out double value, defaultPercent))
        {
            return value;
        }

        if (!Units.TryParsePercent(text, out double percent, out string? error))
        {
            Invalid(key, error);
            return defaultPercent ?? min;
        }

        if (!(percent >= min && percent <= max))
        {
            Invalid(key, expected);
            return defaultPercent ?? min;
        }

        return percent;
    }

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <param name="defaultValue">The value when absent; null makes the key required.</param>
    /// <returns>The integer, or a placeholder after recording an error.</returns>
    public int Int(string key, int min, int max, int? defaultValue = null)
    {
        string expected = Expectation("an integer", "a positive integer", min, max, v => v.ToString(CultureInfo.InvariantCulture), string.Empty);
        if (!TryRead(key, expected, out string? text, out int value, defaultValue))
        {
            return value;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed))
        {
            Invalid(key, expected);
            return defaultValue ?? min;
        }

        return (int)InRange(key, parsed, min, max, expected, defaultValue ?? min);
    }

    /// <summary>An unsigned 64-bit integer (a seed).</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="defaultValue">The value when absent; null makes the key required.</param>
    /// <returns>The integer, or a placeholder after recording an error.</returns>
    public ulong UInt64(string key, ulong? defaultValue = null)
    {
        const string Expected = "expected an unsigned 64-bit integer, from 0 to 18446744073709551615";
        if (!TryRead(key, Expected, out string? text, out ulong value, defaultValue))
        {
            return value;
        }

        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong parsed))
        {
            Invalid(key, Expected);
            return defaultValue ?? 0;
        }

        return parsed;
    }

    /// <summary>A finite number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <param name="defaultValue">The value when absent; null makes the key required.</param>
    /// <returns>The number, or a placeholder after recording an error.</returns>
    public double Double(string key, double min, double max, double? defaultValue = null)
    {
        string expected = FormattableString.Invariant($"expected a number from {min} to {max}");
        if (!TryRead(key, expected, out string? text, out double value, defaultValue))
        {
            return value;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
            || !(parsed >= min && parsed <= max))
        {
            Invalid(key, expected);
            return defaultValue ?? min;
        }

        return parsed;
    }

    /// <summary>A boolean: <c>true</c> or <c>false</c> (case-insensitive).</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="defaultValue">The value when absent; null makes the key required.</param>
    /// <returns>The boolean, or a placeholder after recording an error.</returns>
    public bool Bool(string key, bool? defaultValue = null)
    {
        const string Expected = "expected true or false";
        if (!TryRead(key, Expected, out string? text, out bool value, defaultValue))
        {
            return value;
        }

        if (!bool.TryParse(text, out bool parsed))
        {
            Invalid(key, Expected);
            return defaultValue ?? false;
        }

        return parsed;
    }

    /// <summary>
    /// One of an enum's members, written in lower case with dashes between words
    /// (<c>OneWay</c> is <c>one-way</c>), case-insensitive.
    /// </summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="defaultValue">The value when absent; null makes the key required.</param>
    /// <returns>The member, or a placeholder after recording an error.</returns>
    public TEnum Enum<TEnum>(string key, TEnum? defaultValue = null)
        where TEnum : struct, Enum
    {
        var allowed = System.Enum.GetValues<TEnum>().Select(v => KeyValuePair.Create(KebabName(v.ToString()), v)).ToList();
        string? defaultName = defaultValue is TEnum d ? KebabName(d.ToString()) : null;
        return Choice(key, allowed, defaultName);
    }

    /// <summary>One of a fixed set of names (case-insensitive), mapped to values.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="allowed">The allowed names and their values, in the order to list them.</param>
    /// <param name="defaultName">The name used when absent; null makes the key required.</param>
    /// <returns>The value, or the first allowed value after recording an error.</returns>
    public T Choice<T>(string key, IReadOnlyList<KeyValuePair<string, T>> allowed, string? defaultName = null)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        string expected = "expected one of " + string.Join(", ", allowed.Select(a => a.Key));
        string? text = ReadText(key, expected, defaultName is not null, out _);
        text ??= defaultName;
        if (text is null)
        {
            return allowed[0].Value;
        }

        foreach (KeyValuePair<string, T> option in allowed)
        {
            if (string.Equals(option.Key, text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return option.Value;
            }
        }

        Invalid(key, expected);
        return allowed[0].Value;
    }

    /// <summary>
    /// A list of integers (CPU numbers): a YAML/JSON list whose items are numbers or ranges
    /// (<c>[2, 4-7]</c>), or one text such as <c>"2,3,4"</c> or <c>"2-5"</c>; each within
    /// [<paramref name="min"/>, <paramref name="max"/>]. An empty text is an empty list.
    /// </summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="min">The smallest allowed item.</param>
    /// <param name="max">The largest allowed item.</param>
    /// <param name="defaultValue">The list when absent; null makes the key required.</param>
    /// <returns>The items in the order given (ranges expanded), or an empty list after recording an error.</returns>
    public IReadOnlyList<int> IntList(string key, int min, int max, IReadOnlyList<int>? defaultValue = null)
    {
        string full = _state.Know(_prefix, key);
        _state.ConsumeSubtree(full);
        string expected = FormattableString.Invariant(
            $"expected a list of integers from {min} to {max}, such as [2, 3], \"2,3,4\" or \"2-5\"");
        IConfigurationSection section = _state.Configuration.GetSection(full);
        var children = section.GetChildren().ToList();
        if (section.Value is not null && (section.Value.Length > 0 || children.Count == 0))
        {
            return ParseIntList(full, section.Value, min, max, expected) ?? [];
        }

        if (children.Count == 0)
        {
            if (defaultValue is null)
            {
                _state.Errors.Add(ScenarioError.Missing(_state.Sources.PrimarySource, ScenarioKeys.Dotted(full), expected));
                return [];
            }

            return defaultValue;
        }

        var items = new List<int>();
        foreach (IConfigurationSection child in children)
        {
            if (!ScenarioKeys.IsIndex(child.Key) || child.Value is null || child.GetChildren().Any())
            {
                _state.Errors.Add(ScenarioError.InvalidValue(_state.SourceOfSection(child.Path), ScenarioKeys.Dotted(child.Path), child.Value ?? "{...}", expected));
                return [];
            }

            IReadOnlyList<int>? part = ParseIntList(child.Path, child.Value, min, max, expected);
            if (part is null)
            {
                return [];
            }

            items.AddRange(part);
        }

        return items;
    }

    /// <summary>Free text; with a null default the key is required and must not be empty.</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="defaultValue">The text when absent; null makes the key required.</param>
    /// <returns>The text, or "" after recording an error.</returns>
    public string String(string key, string? defaultValue = null)
    {
        const string Expected = "expected a text value";
        string? text = ReadText(key, Expected, defaultValue is not null, out bool present, emptyIsValue: defaultValue is not null);
        return present ? text ?? string.Empty : defaultValue ?? string.Empty;
    }

    private static string Expectation<T>(string noun, string positiveNoun, T min, T max, Func<T, string> format, string examples)
        where T : System.Numerics.INumber<T>, System.Numerics.IMinMaxValue<T>
    {
        string range = min == T.One && max == T.MaxValue ? positiveNoun
            : min == T.Zero && max == T.MaxValue ? $"{noun} of 0 or more"
            : max == T.MaxValue ? $"{noun} of at least {format(min)}"
            : $"{noun} from {format(min)} to {format(max)}";
        return examples.Length == 0 ? $"expected {range}" : $"expected {range}, {examples}";
    }

    private long InRange(string key, long value, long min, long max, string expected, long fallback)
    {
        if (value < min || value > max)
        {
            Invalid(key, expected);
            return fallback;
        }

        return value;
    }

    /// <summary>Reads a scalar for a typed accessor: false (with <paramref name="fallback"/>) when absent or invalid.</summary>
    private bool TryRead<T>(string key, string expected, out string? text, out T fallback, T? defaultValue)
        where T : struct
    {
        text = ReadText(key, expected, defaultValue is not null, out bool present);
        fallback = defaultValue ?? default;
        return present;
    }

    private List<int>? ParseIntList(string full, string text, int min, int max, string expected)
    {
        var items = new List<int>();
        foreach (string raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (raw.Length == 0 && text.Trim().Length == 0)
            {
                continue;
            }

            string[] ends = raw.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length is < 1 or > 2
                || !int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                || !int.TryParse(ends[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int last)
                || first > last || first < min || last > max)
            {
                _state.Errors.Add(ScenarioError.InvalidValue(_state.SourceOfSection(full), ScenarioKeys.Dotted(full), text, expected));
                return null;
            }

            for (int v = first; v <= last; v++)
            {
                items.Add(v);
            }
        }

        return items;
    }
}
