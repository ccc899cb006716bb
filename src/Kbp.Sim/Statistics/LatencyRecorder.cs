using HdrHistogram;

namespace Kbp.Sim.Statistics;

/// <summary>
/// Records delays in nanoseconds into an HdrHistogram (Gil Tene's log-linear histogram):
/// percentiles carry a bounded relative error (0.1% with the default three significant
/// digits) and memory depends only on the trackable range, never on the number of
/// samples. Count, minimum, maximum and mean are kept exactly beside it, because the
/// paper's headline number is the maximum.
/// </summary>
public sealed class LatencyRecorder
{
    /// <summary>Default highest trackable delay: one hour.</summary>
    public const long DefaultHighestNs = 3_600L * 1_000_000_000L;

    private readonly LongHistogram _histogram;

    // Samples recorded since the histogram was last read; folded in before every read.
    private readonly HistogramBuffer _recent;
    private Int128 _sumNs;

    /// <summary>Creates an empty recorder.</summary>
    /// <param name="name">What is measured.</param>
    /// <param name="highestNs">Largest delay told apart; larger ones are recorded at this value and counted in <see cref="SaturatedCount"/>.</param>
    /// <param name="significantDigits">Decimal digits kept: relative error is at most 10^-digits.</param>
    public LatencyRecorder(string name, long highestNs = DefaultHighestNs, int significantDigits = 3)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(highestNs, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(significantDigits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(significantDigits, 5);
        Name = name;
        HighestNs = highestNs;
        SignificantDigits = significantDigits;
        _histogram = new LongHistogram(1, highestNs, significantDigits);
        _recent = new HistogramBuffer(significantDigits);
    }

    /// <summary>What is measured.</summary>
    public string Name { get; }

    /// <summary>Largest delay told apart.</summary>
    public long HighestNs { get; }

    /// <summary>Decimal digits of precision of the percentiles.</summary>
    public int SignificantDigits { get; }

    /// <summary>Samples recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Samples above <see cref="HighestNs"/>, recorded at that value.</summary>
    public long SaturatedCount { get; private set; }

    /// <summary>Exact smallest sample; 0 when empty.</summary>
    public long MinNs { get; private set; }

    /// <summary>Exact largest sample; 0 when empty.</summary>
    public long MaxNs { get; private set; }

    /// <summary>Exact mean of the samples; 0 when empty.</summary>
    public double MeanNs => Count == 0 ? 0 : (double)_sumNs / Count;

    /// <summary>Records one delay.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For a negative delay: a model error, never clamped.</exception>
    public void Record(long delayNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delayNs);
        if (Count == 0 || delayNs < MinNs)
        {
            MinNs = delayNs;
        }

        MaxNs = Math.Max(MaxNs, delayNs);
        Count++;
        _sumNs += delayNs;
        if (delayNs > HighestNs)
        {
            SaturatedCount++;
            delayNs = HighestNs;
        }

        // The histogram's lowest bucket starts at 1 ns; a zero delay counts there.
        _recent.Record(Math.Max(delayNs, 1));
    }

    /// <summary>
    /// The delay of the sample of rank max(1, round(<paramref name="percentile"/>/100 · count))
    /// in ascending order (HdrHistogram's definition), within the histogram's relative
    /// error; the exact maximum at 100.
    /// </summary>
    public long PercentileNs(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100.0);
        if (Count == 0)
        {
            return 0;
        }

        if (percentile >= 100.0)
        {
            return MaxNs;
        }

        return Math.Min(Histogram().GetValueAtPercentile(percentile), MaxNs);
    }

    /// <summary>Adds every sample of <paramref name="other"/> (same range and precision) to this recorder.</summary>
    /// <exception cref="ArgumentException">When the two recorders track different ranges or precisions.</exception>
    public void Add(LatencyRecorder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.HighestNs != HighestNs || other.SignificantDigits != SignificantDigits)
        {
            throw new ArgumentException($"cannot add '{other.Name}' to '{Name}': different range or precision", nameof(other));
        }

        if (other.Count == 0)
        {
            return;
        }

        if (Count == 0 || other.MinNs < MinNs)
        {
            MinNs = other.MinNs;
        }

        MaxNs = Math.Max(MaxNs, other.MaxNs);
        Count += other.Count;
        SaturatedCount += other.SaturatedCount;
        _sumNs += other._sumNs;
        Histogram().Add(other.Histogram());
    }

    /// <summary>
    /// Writes the percentile distribution in HdrHistogram's <c>.hgrm</c> text format,
    /// values in microseconds.
    /// </summary>
    public void WritePercentileDistribution(TextWriter writer) =>
        Histogram().OutputPercentileDistribution(writer, outputValueUnitScalingRatio: 1000.0);

    private LongHistogram Histogram()
    {
        _recent.FoldInto(_histogram);
        return _histogram;
    }
}
