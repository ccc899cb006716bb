using System.Numerics;
using HdrHistogram;

namespace Kbp.Sim.Statistics;

/// <summary>
/// Counts samples at the index an HdrHistogram with lowest trackable value 1 would give
/// them, and folds them into that histogram only when it is read. Recording is then a
/// leading-zero count, a shift and an increment, where HdrHistogram's RecordValue is a
/// chain of virtual calls that the JIT inlines only through dynamic PGO's guarded
/// devirtualisation, after a tier of instrumented code; a frame records a dozen delays.
/// </summary>
/// <remarks>
/// The index is HdrHistogram's own (bucket by the highest set bit above the sub-bucket
/// range, then sub-bucket by the next bits), so every value counted at an index is one
/// the histogram counts at the same index, and folding a count in as that many samples of
/// the index's lowest value changes nothing the histogram reports.
/// </remarks>
internal sealed class HistogramBuffer
{
    private readonly int _subBucketHalfCountMagnitude;
    private readonly int _subBucketHalfCount;
    private readonly long _subBucketMask;
    private readonly int _leadingZeroCountBase;
    private long[] _counts = new long[4096];
    private int _highestIndex = -1;

    /// <summary>Creates an empty buffer for a histogram of <paramref name="significantDigits"/> digits.</summary>
    public HistogramBuffer(int significantDigits)
    {
        // HdrHistogram: sub-buckets enough for single-unit resolution up to 2 * 10^digits.
        long largestWithSingleUnitResolution = 2 * (long)Math.Pow(10, significantDigits);
        int subBucketCountMagnitude = 64 - BitOperations.LeadingZeroCount((ulong)largestWithSingleUnitResolution - 1);
        _subBucketHalfCountMagnitude = Math.Max(subBucketCountMagnitude, 1) - 1;
        _subBucketHalfCount = 1 << _subBucketHalfCountMagnitude;
        _subBucketMask = (2L * _subBucketHalfCount) - 1;
        _leadingZeroCountBase = 64 - _subBucketHalfCountMagnitude - 1;
    }

    /// <summary>Counts one sample of each of <paramref name="values"/> (each at least 1).</summary>
    /// <remarks>The buffer's shape and counts are read once for the whole batch, not once per sample.</remarks>
    public void Record(ReadOnlySpan<long> values)
    {
        int magnitude = _subBucketHalfCountMagnitude;
        int halfCount = _subBucketHalfCount;
        long mask = _subBucketMask;
        int zerosBase = _leadingZeroCountBase;
        long[] counts = _counts;
        int highest = _highestIndex;
        foreach (long value in values)
        {
            int bucket = zerosBase - BitOperations.LeadingZeroCount((ulong)(value | mask));
            int index = ((bucket + 1) << magnitude) + ((int)(value >> bucket) - halfCount);
            if (index >= counts.Length)
            {
                Array.Resize(ref _counts, Math.Max(index + 1, 2 * counts.Length));
                counts = _counts;
            }

            counts[index]++;
            highest = Math.Max(highest, index);
        }

        _highestIndex = highest;
    }

    /// <summary>Adds the counted samples to <paramref name="histogram"/> and empties the buffer.</summary>
    public void FoldInto(LongHistogram histogram)
    {
        long[] counts = _counts;
        for (int index = 0; index <= _highestIndex; index++)
        {
            if (counts[index] != 0)
            {
                histogram.RecordValueWithCount(LowestValueAt(index), counts[index]);
                counts[index] = 0;
            }
        }

        _highestIndex = -1;
    }

    /// <summary>HdrHistogram's ValueFromIndex: the lowest value counted at <paramref name="index"/>.</summary>
    internal long LowestValueAt(int index)
    {
        int bucket = (index >> _subBucketHalfCountMagnitude) - 1;
        int subBucket = (index & (_subBucketHalfCount - 1)) + _subBucketHalfCount;
        if (bucket < 0)
        {
            subBucket -= _subBucketHalfCount;
            bucket = 0;
        }

        return (long)subBucket << bucket;
    }
}
