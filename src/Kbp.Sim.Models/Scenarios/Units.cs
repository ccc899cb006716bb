using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// The one parser (and exact formatter) for human units: durations (<c>2.2us</c>, <c>4ms</c>,
/// <c>60s</c>), rates (<c>80Mbps</c>, <c>1Gbps</c>), sizes (<c>1518B</c>, <c>4KiB</c>),
/// frequencies (<c>2.1GHz</c>) and percentages (<c>95%</c>). Numbers are read in the
/// invariant culture (a dot for the decimal point, an optional exponent), units are
/// case-insensitive, and blanks are allowed between the number and the unit. Rates use
/// decimal SI prefixes (1 Gbps = 1e9 bits/s); sizes have both decimal (KB = 1000 B) and
/// binary (KiB = 1024 B) prefixes. A failure comes back as one phrase that says what was
/// expected with an example, ready to follow "is invalid: ".
/// </summary>
public static partial class Units
{
    /// <summary>Examples shown when a duration does not parse.</summary>
    public const string DurationExamples = "60s, 4ms or 2.2us";

    /// <summary>Examples shown when a rate does not parse.</summary>
    public const string RateExamples = "80Mbps or 1Gbps";

    /// <summary>Examples shown when a size does not parse.</summary>
    public const string SizeExamples = "1518B, 64KB or 4KiB";

    /// <summary>Examples shown when a frequency does not parse.</summary>
    public const string FrequencyExamples = "250Hz or 2.1GHz";

    /// <summary>Examples shown when a percentage does not parse.</summary>
    public const string PercentExamples = "0%, 5% or 95%";

    private static readonly (string Name, long Ns)[] DurationUnits =
    [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ];

    private static readonly (string Name, decimal Bps)[] RateUnits =
        [("bps", 1m), ("kbps", 1e3m), ("Mbps", 1e6m), ("Gbps", 1e9m), ("Tbps", 1e12m)];

    private static readonly (string Name, long Bytes)[] SizeUnits =
    [
        ("B", 1), ("KB", 1_000), ("KiB", 1_024), ("MB", 1_000_000), ("MiB", 1_048_576),
        ("GB", 1_000_000_000), ("GiB", 1_073_741_824),
    ];

    private static readonly (string Name, decimal Hz)[] FrequencyUnits =
        [("Hz", 1m), ("kHz", 1e3m), ("MHz", 1e6m), ("GHz", 1e9m)];

    /// <summary>
    /// Parses a duration into nanoseconds. Units: ns, us (also µs), ms, s, m (minutes), h.
    /// A bare number is refused as ambiguous unless <paramref name="bareUnitNs"/> says
    /// what unit the key is in (for example 1000 for a key in microseconds).
    /// </summary>
    /// <param name="text">The text, such as <c>2.2us</c>.</param>
    /// <param name="ns">The duration in nanoseconds when the parse succeeds.</param>
    /// <param name="error">What was expected, with an example, when it fails.</param>
    /// <param name="bareUnitNs">Nanoseconds per unit of a bare number, or null to refuse bare numbers.</param>
    /// <returns>True when <paramref name="text"/> is a duration in whole nanoseconds.</returns>
    public static bool TryParseDurationNs(string? text, out long ns, [NotNullWhen(false)] out string? error, long? bareUnitNs = null)
    {
        ns = 0;
        const string Expected = "expected a duration such as " + DurationExamples;
        if (!TrySplit(text, out decimal number, out string unit))
        {
            error = Expected;
            return false;
        }

        decimal perUnit;
        if (unit.Length == 0)
        {
            if (bareUnitNs is not long bare)
            {
                error = Expected + " (a bare number is ambiguous: add a unit, one of ns, us, ms, s, m, h)";
                return false;
            }

            perUnit = bare;
        }
        else if (!TryFindUnit(DurationUnits, unit, out long unitNs))
        {
            error = $"{Expected} (unknown unit '{unit}': use ns, us, ms, s, m or h)";
            return false;
        }
        else
        {
            perUnit = unitNs;
        }

        if (!TryMultiply(number, perUnit, out decimal total) || total > long.MaxValue || total < long.MinValue)
        {
            error = "expected a duration that fits in 64-bit nanoseconds (at most about 292 years)";
            return false;
        }

        if (total != decimal.Truncate(total))
        {
            error = "expected a duration in whole nanoseconds, such as 2.2us or 850ns";
            return false;
        }

        ns = (long)total;
        error = null;
        return true;
    }

    /// <summary>Parses a duration into nanoseconds or throws <see cref="FormatException"/> with the expectation.</summary>
    /// <param name="text">The text, such as <c>4ms</c>.</param>
    /// <param name="bareUnitNs">Nanoseconds per unit of a bare number, or null to refuse bare numbers.</param>
    /// <returns>The duration in nanoseconds.</returns>
    public static long ParseDurationNs(string text, long? bareUnitNs = null) =>
        TryParseDurationNs(text, out long ns, out string? error, bareUnitNs) ? ns : throw new FormatException(error);

    /// <summary>
    /// Parses a rate into bits per second. Units: bps, kbps, Mbps, Gbps, Tbps (decimal SI,
    /// case-insensitive). A bare number is refused unless <paramref name="bareUnitBps"/> is given.
    /// </summary>
    /// <param name="text">The text, such as <c>1Gbps</c>.</param>
    /// <param name="bps">The rate in bits per second when the parse succeeds.</param>
    /// <param name="error">What was expected, with an example, when it fails.</param>
    /// <param name="bareUnitBps">Bits per second per unit of a bare number, or null to refuse bare numbers.</param>
    /// <returns>True when <paramref name="text"/> is a rate.</returns>
    public static bool TryParseRateBps(string? text, out double bps, [NotNullWhen(false)] out string? error, double? bareUnitBps = null)
    {
        bps = 0;
        const string Expected = "expected a rate such as " + RateExamples;
        if (!TrySplit(text, out decimal number, out string unit))
        {
            error = Expected;
            return false;
        }

        double perUnit;
        if (unit.Length == 0)
        {
            if (bareUnitBps is not double bare)
            {
                error = Expected + " (a bare number is ambiguous: add a unit, one of bps, kbps, Mbps, Gbps)";
                return false;
            }

            perUnit = bare;
        }
        else if (!TryFindUnit(RateUnits, unit, out decimal unitBps))
        {
            error = $"{Expected} (unknown unit '{unit}': use bps, kbps, Mbps or Gbps)";
            return false;
        }
        else
        {
            perUnit = (double)unitBps;
        }

        bps = (double)number * perUnit;
        error = null;
        return true;
    }

    /// <summary>Parses a rate into bits per second or throws <see cref="FormatException"/> with the expectation.</summary>
    /// <param name="text">The text, such as <c>80Mbps</c>.</param>
    /// <param name="bareUnitBps">Bits per second per unit of a bare number, or null to refuse bare numbers.</param>
    /// <returns>The rate in bits per second.</returns>
    public static double ParseRateBps(string text, double? bareUnitBps = null) =>
        TryParseRateBps(text, out double bps, out string? error, bareUnitBps) ? bps : throw new FormatException(error);

    /// <summary>
    /// Parses a size into bytes. Units: B, KB (1000), KiB (1024), MB, MiB, GB, GiB,
    /// case-insensitive; a bare integer is bytes. The result must be a whole number of bytes.
    /// </summary>
    /// <param name="text">The text, such as <c>1518B</c>.</param>
    /// <param name="bytes">The size in bytes when the parse succeeds.</param>
    /// <param name="error">What was expected, with an example, when it fails.</param>
    /// <returns>True when <paramref name="text"/> is a whole number of bytes.</returns>
    public static bool TryParseSizeBytes(string? text, out long bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = 0;
        const string Expected = "expected a size such as " + SizeExamples;
        if (!TrySplit(text, out decimal number, out string unit))
        {
            error = Expected;
            return false;
        }

        long perUnit = 1;
        if (unit.Length > 0 && !TryFindUnit(SizeUnits, unit, out perUnit))
        {
            error = $"{Expected} (unknown unit '{unit}': use B, KB, KiB, MB or MiB)";
            return false;
        }

        if (!TryMultiply(number, perUnit, out decimal total) || total > long.MaxValue || total < long.MinValue)
        {
            error = "expected a size that fits in 64 bits";
            return false;
        }

        if (total != decimal.Truncate(total))
        {
            error = "expected a whole number of bytes, such as 1518B or 1.5KB";
            return false;
        }

        bytes = (long)total;
        error = null;
        return true;
    }

    /// <summary>Parses a size into bytes or throws <see cref="FormatException"/> with the expectation.</summary>
    /// <param name="text">The text, such as <c>64KiB</c>.</param>
    /// <returns>The size in bytes.</returns>
    public static long ParseSizeBytes(string text) =>
        TryParseSizeBytes(text, out long bytes, out string? error) ? bytes : throw new FormatException(error);

    /// <summary>Parses a frequency into hertz. Units: Hz, kHz, MHz, GHz (case-insensitive); a bare number is hertz.</summary>
    /// <param name="text">The text, such as <c>2.1GHz</c>.</param>
    /// <param name="hz">The frequency in hertz when the parse succeeds.</param>
    /// <param name="error">What was expected, with an example, when it fails.</param>
    /// <returns>True when <paramref name="text"/> is a frequency.</returns>
    public static bool TryParseFrequencyHz(string? text, out double hz, [NotNullWhen(false)] out string? error)
    {
        hz = 0;
        const string Expected = "expected a frequency such as " + FrequencyExamples;
        if (!TrySplit(text, out decimal number, out string unit))
        {
            error = Expected;
            return false;
        }

        decimal perUnit = 1m;
        if (unit.Length > 0 && !TryFindUnit(FrequencyUnits, unit, out perUnit))
        {
            error = $"{Expected} (unknown unit '{unit}': use Hz, kHz, MHz or GHz)";
            return false;
        }

        hz = (double)number * (double)perUnit;
        error = null;
        return true;
    }

    /// <summary>Parses a frequency into hertz or throws <see cref="FormatException"/> with the expectation.</summary>
    /// <param name="text">The text, such as <c>250Hz</c>.</param>
    /// <returns>The frequency in hertz.</returns>
    public static double ParseFrequencyHz(string text) =>
        TryParseFrequencyHz(text, out double hz, out string? error) ? hz : throw new FormatException(error);

    /// <summary>Parses a percentage such as <c>95%</c> into the number of percent (95). The sign is required.</summary>
    /// <param name="text">The text, such as <c>5%</c>.</param>
    /// <param name="percent">The number of percent when the parse succeeds.</param>
    /// <param name="error">What was expected, with an example, when it fails.</param>
    /// <returns>True when <paramref name="text"/> is a percentage.</returns>
    public static bool TryParsePercent(string? text, out double percent, [NotNullWhen(false)] out string? error)
    {
        percent = 0;
        const string Expected = "expected a percentage such as " + PercentExamples;
        bool isNumber = TrySplit(text, out decimal number, out string unit);
        if (!isNumber || unit != "%")
        {
            error = isNumber && unit.Length == 0 ? Expected + " (add the % sign)" : Expected;
            return false;
        }

        percent = (double)number;
        error = null;
        return true;
    }

    /// <summary>Parses a percentage into the number of percent or throws <see cref="FormatException"/>.</summary>
    /// <param name="text">The text, such as <c>95%</c>.</param>
    /// <returns>The number of percent.</returns>
    public static double ParsePercent(string text) =>
        TryParsePercent(text, out double percent, out string? error) ? percent : throw new FormatException(error);

    /// <summary>
    /// Formats nanoseconds exactly: the largest unit that needs at most three decimals
    /// (<c>2.2us</c>, <c>1.5m</c>, <c>850ns</c>, <c>0s</c>). <see cref="ParseDurationNs"/>
    /// reads every result back to the same value.
    /// </summary>
    /// <param name="ns">The duration in nanoseconds.</param>
    /// <returns>The text.</returns>
    public static string FormatDuration(long ns)
    {
        if (ns == 0)
        {
            return "0s";
        }

        decimal magnitude = Math.Abs((decimal)ns);
        for (int i = DurationUnits.Length - 1; i >= 0; i--)
        {
            (string name, long unitNs) = DurationUnits[i];
            if (name is "µs" or "μs" || magnitude < unitNs)
            {
                continue;
            }

            decimal value = (decimal)ns / unitNs;
            if (decimal.Round(value, 3) == value)
            {
                return value.ToString("0.###", CultureInfo.InvariantCulture) + name;
            }
        }

        return ns.ToString(CultureInfo.InvariantCulture) + "ns";
    }

    /// <summary>Formats a rate with the largest SI unit that keeps it at or above one (<c>1Gbps</c>, <c>80Mbps</c>, <c>1.3125Gbps</c>).</summary>
    /// <param name="bps">The rate in bits per second.</param>
    /// <returns>The text.</returns>
    public static string FormatRate(double bps)
    {
        double magnitude = Math.Abs(bps);
        for (int i = RateUnits.Length - 2; i > 0; i--)
        {
            (string name, decimal unit) = RateUnits[i];
            if (magnitude >= (double)unit)
            {
                return (bps / (double)unit).ToString("0.######", CultureInfo.InvariantCulture) + name;
            }
        }

        return bps.ToString("0.######", CultureInfo.InvariantCulture) + "bps";
    }

    /// <summary>Formats a size exactly: binary units when they divide evenly, else bytes (<c>1518B</c>, <c>4KiB</c>).</summary>
    /// <param name="bytes">The size in bytes.</param>
    /// <returns>The text.</returns>
    public static string FormatSize(long bytes)
    {
        foreach (var (name, unit) in new[] { ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10) })
        {
            if (bytes != 0 && bytes % unit == 0)
            {
                return (bytes / unit).ToString(CultureInfo.InvariantCulture) + name;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }

    [GeneratedRegex(@"^(?<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?<unit>[^\s\d.+-][^\s]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberAndUnit();

    /// <summary>Splits "2.2 us" into 2.2 and "us"; false when the text is not a number with an optional unit.</summary>
    private static bool TrySplit(string? text, out decimal number, out string unit)
    {
        number = 0;
        unit = string.Empty;
        if (text is null)
        {
            return false;
        }

        Match match = NumberAndUnit().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        unit = match.Groups["unit"].Value;
        return decimal.TryParse(
            match.Groups["number"].Value,
            NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture,
            out number);
    }

    private static bool TryFindUnit<T>((string Name, T Factor)[] units, string unit, out T factor)
    {
        foreach ((string name, T value) in units)
        {
            if (string.Equals(name, unit, StringComparison.OrdinalIgnoreCase))
            {
                factor = value;
                return true;
            }
        }

        factor = default!;
        return false;
    }

    private static bool TryMultiply(decimal a, decimal b, out decimal product)
    {
        try
        {
            product = a * b;
            return true;
        }
        catch (OverflowException)
        {
            product = 0;
            return false;
        }
    }
}
