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

    // Samples recorded since anything was last read, kept raw: recording is then a store,
    // and the bookkeeping below runs over a batch with its totals in registers (a frame
    // records a dozen delays, each into another recorder). Folded in before every read.
    private readonly long[] _unsettled = new long[256];
    private int _unsettledCount;
    private long _count;
    private long _saturatedCount;
    private long _minNs;
    private long _maxNs;
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
    public long Count
    {
        get
        {
            Settle();
            return _count;
        }
    }

    /// <summary>Samples above <see cref="HighestNs"/>, recorded at that value.</summary>
    public long SaturatedCount
    {
        get
        {
            Settle();
            return _saturatedCount;
        }
    }

    /// <summary>Exact smallest sample; 0 when empty.</summary>
    public long MinNs
    {
        get
        {
            Settle();
            return _minNs;
        }
    }

    /// <summary>Exact largest sample; 0 when empty.</summary>
    public long MaxNs
    {
        get
        {
            Settle();
            return _maxNs;
        }
    }

    /// <summary>Exact mean of the samples; 0 when empty.</summary>
    public double MeanNs => Count == 0 ? 0 : (double)_sumNs / _count;

    /// <summary>Records one delay.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For a negative delay: a model error, never clamped.</exception>
    public void Record(long delayNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delayNs);
        if (_unsettledCount == _unsettled.Length)
        {
            Settle();
        }

        _unsettled[_unsettledCount++] = delayNs;
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

        if (Count == 0 || other.MinNs < _minNs)
        {
            _minNs = other.MinNs;
        }

        _maxNs = Math.Max(_maxNs, other.MaxNs);
        _count += other.Count;
        _saturatedCount += other.SaturatedCount;
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
        Settle();
        _recent.FoldInto(_histogram);
        return _histogram;
    }

    /// <summary>Takes the raw samples into the totals and the histogram buffer, in recording order.</summary>
    private void Settle()
    {
        int n = _unsettledCount;
        if (n == 0)
        {
            return;
        }

        long[] samples = _unsettled;
        long count = _count;
        long saturated = _saturatedCount;
        long min = _minNs;
        long max = _maxNs;
        Int128 sum = _sumNs;
        long highest = HighestNs;
        for (int i = 0; i < n; i++)
        {
            long delayNs = samples[i];
            if (count == 0 || delayNs < min)
            {
                min = delayNs;
            }

            max = Math.Max(max, delayNs);
            count++;
            sum += delayNs;
            if (delayNs > highest)
            {
                saturated++;
                delayNs = highest;
            }

            // The histogram's lowest bucket starts at 1 ns; a zero delay counts there.
            samples[i] = Math.Max(delayNs, 1);
        }

        _recent.Record(samples.AsSpan(0, n));
        _count = count;
        _saturatedCount = saturated;
        _minNs = min;
        _maxNs = max;
        _sumNs = sum;
        _unsettledCount = 0;
    }
}
