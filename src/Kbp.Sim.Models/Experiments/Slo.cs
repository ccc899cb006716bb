using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Statistics;
using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Experiments;

/// <summary>What one bound of a service-level objective limits.</summary>
public enum SloKind
{
    /// <summary><c>loss=0</c>: every measured frame comes back.</summary>
    NoLoss,

    /// <summary><c>max&lt;T</c>: every measured frame comes back in less than T.</summary>
    Max,

    /// <summary><c>pNN.N&lt;T</c>: that percentile of the measured frames' delays is below T.</summary>
    Percentile,
}

/// <summary>One bound of an <see cref="Slo"/>.</summary>
/// <param name="Kind">What it limits.</param>
/// <param name="Percentile">For <see cref="SloKind.Percentile"/>, the percentile in (0, 100); 0 otherwise.</param>
/// <param name="LimitNs">For the latency bounds, the delay that must not be reached (ns); 0 for <see cref="SloKind.NoLoss"/>.</param>
public readonly record struct SloBound(SloKind Kind, double Percentile, long LimitNs)
{
    /// <summary>The bound as written: <c>loss=0</c>, <c>max&lt;250us</c>, <c>p99.9&lt;1ms</c>.</summary>
    public override string ToString() => Kind switch
    {
        SloKind.NoLoss => "loss=0",
        SloKind.Max => $"max<{Units.FormatDuration(LimitNs)}",
        _ => string.Create(CultureInfo.InvariantCulture, $"p{Percentile:0.######}<{Units.FormatDuration(LimitNs)}"),
    };
}

/// <summary>Whether a trial met an <see cref="Slo"/>, and if not, the first bound it broke.</summary>
/// <param name="Holds">True when every bound holds.</param>
/// <param name="Violation">The first broken bound and by how much, e.g. "max 312us >= 250us"; null when it holds.</param>
public readonly record struct SloVerdict(bool Holds, string? Violation);

/// <summary>
/// A service-level objective for a trial: bounds on the delays of its measured frames and
/// on their loss, all of which must hold. Written <c>max&lt;250us</c>, <c>p99.9&lt;1ms</c>,
/// <c>loss=0</c>, or several joined with commas (<c>p99&lt;100us,max&lt;1ms</c>).
/// </summary>
/// <remarks>
/// A measured frame that never comes back (lost, still in flight after the drain, or never
/// sent because the trial stopped) counts as infinitely late: <c>max&lt;T</c> implies no
/// loss, and <c>p99.9&lt;T</c> tolerates at most 0.1 % of the frames lost or late. So every
/// bound is monotone: a trial that meets a bound meets every looser one (a larger T, a lower
/// percentile, fewer bounds). Percentiles are those of the frames' delays with HdrHistogram's
/// three significant digits (within 0.1 %); the maximum is exact.
/// </remarks>
public sealed partial record Slo
{
    /// <summary>Examples shown when a bound does not parse.</summary>
    public const string Examples = "max<250us, p99.9<1ms or loss=0, or several joined with ',' such as p99<100us,loss=0";

    private Slo(IReadOnlyList<SloBound> bounds) => Bounds = bounds;

    /// <summary>The bounds, in the order written.</summary>
    public IReadOnlyList<SloBound> Bounds { get; }

    /// <summary>The tightest maximum, if a <c>max&lt;T</c> bound is given.</summary>
    public long? MaxLimitNs => Bounds.Where(b => b.Kind == SloKind.Max).Select(b => (long?)b.LimitNs).FirstOrDefault();

    /// <summary>
    /// Whether the first lost frame already breaks the objective (<c>loss=0</c> or
    /// <c>max&lt;T</c>), so a trial can stop there.
    /// </summary>
    public bool FailsAtFirstLoss => Bounds.Any(b => b.Kind is SloKind.NoLoss or SloKind.Max);

    /// <summary>Whether only a whole trial can tell (a percentile bound needs every frame).</summary>
    public bool HasPercentile => Bounds.Any(b => b.Kind == SloKind.Percentile);

    /// <summary>Parses an objective; throws <see cref="FormatException"/> with the one-line reason.</summary>
    public static Slo Parse(string text) => TryParse(text, out Slo? slo, out string? error) ? slo : throw new FormatException(error);

    /// <summary>Parses <c>max&lt;250us</c>, <c>p99.9&lt;1ms</c>, <c>loss=0</c> or several joined with ','.</summary>
    /// <param name="text">The objective as written.</param>
    /// <param name="slo">The objective when the parse succeeds.</param>
    /// <param name="error">One phrase saying what is wrong and what is expected, when it fails.</param>
    /// <returns>True when <paramref name="text"/> is a valid objective.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Slo? slo, [NotNullWhen(false)] out string? error)
    {
        slo = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"the objective is empty: expected {Examples}";
            return false;
        }

        var bounds = new List<SloBound>();
        string[] items = text.Split(',');
        for (int i = 0; i < items.Length; i++)
        {
            string item = items[i].Trim();
            if (item.Length == 0)
            {
                error = $"'{text}': bound {i + 1} is empty: expected {Examples}";
                return false;
            }

            if (!TryParseBound(item, out SloBound bound, out string? why))
            {
                error = items.Length == 1 ? why : $"'{text}': {why}";
                return false;
            }

            if (bounds.Any(b => b.Kind == bound.Kind && b.Percentile == bound.Percentile))
            {
                error = $"'{text}' gives {Name(bound)} twice";
                return false;
            }

            bounds.Add(bound);
        }

        slo = new Slo(bounds);
        error = null;
        return true;
    }

    /// <summary>
    /// Judges a trial: <paramref name="offered"/> measured frames, of which
    /// <paramref name="received"/> came back with the delays in <paramref name="latency"/>.
    /// </summary>
    /// <param name="offered">Measured frames the tester's pattern generated.</param>
    /// <param name="received">Measured frames that came back.</param>
    /// <param name="latency">Their delays (round trip or one way).</param>
    /// <returns>Whether every bound holds, and the first broken one.</returns>
    public SloVerdict Judge(long offered, long received, LatencyRecorder latency)
    {
        ArgumentNullException.ThrowIfNull(latency);
        ArgumentOutOfRangeException.ThrowIfNegative(received);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(received, offered);
        long missing = offered - received;
        var c = CultureInfo.InvariantCulture;
        foreach (SloBound b in Bounds)
        {
            switch (b.Kind)
            {
                case SloKind.NoLoss when missing > 0:
                    return new SloVerdict(false, string.Create(c, $"loss=0: {missing:N0} of {offered:N0} frames lost"));
                case SloKind.Max when missing > 0:
                    return new SloVerdict(false, string.Create(c, $"{b}: {missing:N0} of {offered:N0} frames lost"));
                case SloKind.Max when latency.Count > 0 && latency.MaxNs >= b.LimitNs:
                    return new SloVerdict(false, $"{b}: max {SimTime.Format(latency.MaxNs)}");
                case SloKind.Percentile:
                    long? value = PercentileNs(b.Percentile, offered, received, latency);
                    if (value is null)
                    {
                        return new SloVerdict(false, string.Create(c, $"{b}: {missing:N0} of {offered:N0} frames lost, more than {100 - b.Percentile:0.######}%"));
                    }

                    if (value.Value >= b.LimitNs)
                    {
                        return new SloVerdict(false, string.Create(c, $"{b}: p{b.Percentile:0.######} {SimTime.Format(value.Value)}"));
                    }

                    break;
            }
        }

        return new SloVerdict(true, null);
    }

    /// <summary>
    /// The <paramref name="percentile"/>-th delay of <paramref name="offered"/> frames, the
    /// missing ones counted as infinitely late: the delay of rank ⌈p/100 · offered⌉ (at least
    /// 1) in ascending order, or null when that rank falls among the missing frames.
    /// </summary>
    public static long? PercentileNs(double percentile, long offered, long received, LatencyRecorder latency)
    {
        ArgumentNullException.ThrowIfNull(latency);
        if (offered == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling((decimal)percentile / 100m * offered));
        if (rank > received)
        {
            return null;
        }

        return rank == received ? latency.MaxNs : latency.PercentileNs(Math.Min(100.0, 100.0 * rank / received));
    }

    /// <summary>The objective as written, bounds joined with ','.</summary>
    public override string ToString() => string.Join(",", Bounds);

    private static string Name(SloBound b) => b.Kind switch
    {
        SloKind.NoLoss => "loss",
        SloKind.Max => "max",
        _ => string.Create(CultureInfo.InvariantCulture, $"p{b.Percentile:0.######}"),
    };

    private static bool TryParseBound(string item, out SloBound bound, [NotNullWhen(false)] out string? error)
    {
        bound = default;
        Match loss = LossPattern().Match(item);
        if (loss.Success)
        {
            if (loss.Groups["value"].Value.Trim() is not ("0" or "0%"))
            {
                error = $"'{item}': only loss=0 is supported (no frame lost); for a tolerated share use a percentile bound such as p99.9<1ms";
                return false;
            }

            bound = new SloBound(SloKind.NoLoss, 0, 0);
            error = null;
            return true;
        }

        Match latency = LatencyPattern().Match(item);
        if (!latency.Success)
        {
            error = $"'{item}' is not a bound: expected {Examples}";
            return false;
        }

        string timeText = latency.Groups["time"].Value.Trim();
        if (!Units.TryParseDurationNs(timeText, out long limitNs, out string? why))
        {
            error = $"'{item}': '{timeText}' is not a time: {why}";
            return false;
        }

        if (limitNs <= 0)
        {
            error = $"'{item}': the bound must be a positive time such as 250us";
            return false;
        }

        string what = latency.Groups["what"].Value;
        if (what.Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            bound = new SloBound(SloKind.Max, 0, limitNs);
            error = null;
            return true;
        }

        string number = what[1..];
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double percentile)
            || !(percentile > 0 && percentile < 100))
        {
            error = $"'{item}': the percentile must be a number in (0, 100) such as p99 or p99.9, got '{what}' (for the maximum write max<T)";
            return false;
        }

        bound = new SloBound(SloKind.Percentile, percentile, limitNs);
        error = null;
        return true;
    }

    [GeneratedRegex(@"^loss\s*=\s*(?<value>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LossPattern();

    [GeneratedRegex(@"^(?<what>max|p[0-9.]+)\s*<\s*(?<time>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LatencyPattern();
}
