using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;
using Kbp.Sim.Models.Scenarios;

namespace Kbp.Sim.Tests.Scenarios;

/// <summary>The human-unit parser: examples of each unit and properties of the exact formatter.</summary>
public class UnitsTests
{
    [Theory]
    [InlineData("2.2us", 2_200)]
    [InlineData("2.2µs", 2_200)]
    [InlineData("2.2μs", 2_200)]
    [InlineData("4ms", 4_000_000)]
    [InlineData("60s", 60_000_000_000)]
    [InlineData("1.5m", 90_000_000_000)]
    [InlineData("1h", 3_600_000_000_000)]
    [InlineData("850ns", 850)]
    [InlineData("  10 US ", 10_000)]
    [InlineData("4MS", 4_000_000)]
    [InlineData("0s", 0)]
    [InlineData("-5ms", -5_000_000)]
    [InlineData("1e3us", 1_000_000)]
    [InlineData(".5ms", 500_000)]
    public void Durations_parse_to_nanoseconds(string text, long expectedNs)
    {
        Assert.Equal(expectedNs, Units.ParseDurationNs(text));
    }

    [Theory]
    [InlineData("60")]
    [InlineData("100")]
    public void A_bare_number_is_not_a_duration_because_the_unit_is_ambiguous(string text)
    {
        Assert.False(Units.TryParseDurationNs(text, out _, out string? error));
        Assert.Contains("expected a duration such as 60s, 4ms", error);
        Assert.Contains("bare number", error);
    }

    [Fact]
    public void A_bare_number_is_a_duration_when_the_caller_names_the_unit()
    {
        Assert.Equal(10_000, Units.ParseDurationNs("10", bareUnitNs: 1_000));
    }

    [Theory]
    [InlineData("60kg", "unknown unit 'kg'")]
    [InlineData("fast", "expected a duration such as 60s, 4ms or 2.2us")]
    [InlineData("", "expected a duration")]
    [InlineData("1.0005us", "whole nanoseconds")]
    [InlineData("0.5ns", "whole nanoseconds")]
    [InlineData("1e12s", "64-bit")]
    [InlineData("2,5ms", "expected a duration")]
    [InlineData("2.2.2us", "expected a duration")]
    public void Malformed_durations_say_what_was_expected(string text, string fragment)
    {
        Assert.False(Units.TryParseDurationNs(text, out _, out string? error));
        Assert.Contains(fragment, error);
        FormatException thrown = Assert.Throws<FormatException>(() => Units.ParseDurationNs(text));
        Assert.Equal(error, thrown.Message);
    }

    [Theory]
    [InlineData("80Mbps", 80e6)]
    [InlineData("1Gbps", 1e9)]
    [InlineData("1 gbps", 1e9)]
    [InlineData("2.5GBPS", 2.5e9)]
    [InlineData("64kbps", 64e3)]
    [InlineData("300bps", 300)]
    [InlineData("-5Mbps", -5e6)]
    public void Rates_parse_to_bits_per_second_with_decimal_prefixes(string text, double expectedBps)
    {
        Assert.Equal(expectedBps, Units.ParseRateBps(text), 6);
    }

    [Theory]
    [InlineData("1000", "bare number")]
    [InlineData("1GB", "unknown unit 'GB'")]
    [InlineData("1 G bps", "expected a rate such as 80Mbps or 1Gbps")]
    public void Malformed_rates_say_what_was_expected(string text, string fragment)
    {
        Assert.False(Units.TryParseRateBps(text, out _, out string? error));
        Assert.Contains(fragment, error);
    }

    [Theory]
    [InlineData("1518B", 1518)]
    [InlineData("1518", 1518)]
    [InlineData("64KB", 64_000)]
    [InlineData("4KiB", 4_096)]
    [InlineData("4kib", 4_096)]
    [InlineData("1.5KB", 1_500)]
    [InlineData("2MB", 2_000_000)]
    [InlineData("2MiB", 2_097_152)]
    [InlineData("9018 B", 9_018)]
    public void Sizes_parse_to_bytes_and_a_bare_integer_is_bytes(string text, long expectedBytes)
    {
        Assert.Equal(expectedBytes, Units.ParseSizeBytes(text));
    }

    [Theory]
    [InlineData("1.5B", "whole number of bytes")]
    [InlineData("3 frames", "expected a size such as 1518B")]
    [InlineData("2Mbit", "unknown unit 'Mbit'")]
    public void Malformed_sizes_say_what_was_expected(string text, string fragment)
    {
        Assert.False(Units.TryParseSizeBytes(text, out _, out string? error));
        Assert.Contains(fragment, error);
    }

    [Theory]
    [InlineData("250Hz", 250)]
    [InlineData("250", 250)]
    [InlineData("2.1GHz", 2.1e9)]
    [InlineData("800 MHz", 8e8)]
    [InlineData("1khz", 1e3)]
    public void Frequencies_parse_to_hertz(string text, double expectedHz)
    {
        Assert.Equal(expectedHz, Units.ParseFrequencyHz(text), 3);
    }

    [Theory]
    [InlineData("95%", 95)]
    [InlineData("0%", 0)]
    [InlineData(" 2.5 % ", 2.5)]
    public void Percentages_parse_to_the_number_of_percent(string text, double expected)
    {
        Assert.Equal(expected, Units.ParsePercent(text), 9);
    }

    [Fact]
    public void A_percentage_needs_its_sign()
    {
        Assert.False(Units.TryParsePercent("5", out _, out string? error));
        Assert.Contains("add the % sign", error);
    }

    [Theory]
    [InlineData(2_200, "2.2us")]
    [InlineData(4_000_000, "4ms")]
    [InlineData(60_000_000_000, "1m")]
    [InlineData(90_000_000_000, "1.5m")]
    [InlineData(850, "850ns")]
    [InlineData(1_000_001, "1000.001us")]
    [InlineData(0, "0s")]
    [InlineData(-1_500, "-1.5us")]
    public void Durations_format_exactly_with_the_largest_readable_unit(long ns, string expected)
    {
        Assert.Equal(expected, Units.FormatDuration(ns));
    }

    [Property]
    public bool Formatting_a_duration_and_parsing_it_gives_the_same_nanoseconds(long ns) =>
        Units.ParseDurationNs(Units.FormatDuration(ns)) == ns;

    [Property]
    public bool Formatted_durations_at_every_scale_round_trip(NonNegativeInt mantissa, byte scale)
    {
        long ns = mantissa.Get * (long)Math.Pow(10, scale % 10);
        return Units.ParseDurationNs(Units.FormatDuration(ns)) == ns && Units.ParseDurationNs(Units.FormatDuration(-ns)) == -ns;
    }

    [Property]
    public Property Any_unit_spelling_and_spacing_gives_the_same_duration(NonNegativeInt count, bool upper, bool space)
    {
        var units = new (string Name, long Ns)[] { ("ns", 1), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000) };
        return Prop.ForAll(Gen.Elements(units).ToArbitrary(), unit =>
        {
            string name = upper ? unit.Name.ToUpperInvariant() : unit.Name;
            string text = count.Get.ToString(System.Globalization.CultureInfo.InvariantCulture) + (space ? " " : string.Empty) + name;
            return Units.ParseDurationNs(text) == count.Get * unit.Ns;
        });
    }

    [Property]
    public bool Formatting_a_size_and_parsing_it_gives_the_same_bytes(long bytes) =>
        Units.ParseSizeBytes(Units.FormatSize(bytes)) == bytes;

    [Property]
    public bool Formatting_a_rate_and_parsing_it_stays_within_a_millionth(PositiveInt mantissa, byte scale)
    {
        double bps = mantissa.Get * Math.Pow(10, scale % 8);
        double back = Units.ParseRateBps(Units.FormatRate(bps));
        return Math.Abs(back - bps) <= bps * 1e-6;
    }
}
