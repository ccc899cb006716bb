using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Kbp.Sim.Cli;

/// <summary>Option builders that turn malformed values into one-line parse errors (exit 2), never exceptions.</summary>
internal static class Options
{
    /// <summary>An integer option that must lie in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static Option<long> Integer(string name, string description, long defaultValue, long minimum, long maximum = long.MaxValue)
    {
        return new Option<long>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) || value < minimum || value > maximum)
                {
                    string range = maximum == long.MaxValue
                        ? $"at least {minimum.ToString(CultureInfo.InvariantCulture)}"
                        : $"from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}";
                    result.AddError($"{name} must be an integer {range}, got '{text}'");
                    return defaultValue;
                }

                return value;
            },
        };
    }
}
