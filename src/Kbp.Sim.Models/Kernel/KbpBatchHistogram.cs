using System.Numerics;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// The histogram of poll() return values that kernel-module/kbp.c keeps per KBP thread
/// (<c>kbp_batch_bucket()</c>): bucket 0 holds 0 (an empty poll), bucket b ≥ 1 holds
/// 2^(b-1)..2^b - 1 (<c>fls(work)</c>), and the last bucket is open: 0, 1, 2-3, 4-7, …,
/// 128-255, 256+. Counting is an index computation and an increment.
/// </summary>
public sealed class KbpBatchHistogram
{
    /// <summary>The number of buckets (KBP_BATCH_BUCKETS).</summary>
    public const int BucketCount = 10;

    private static readonly string[] Labels = ["0", "1", "2-3", "4-7", "8-15", "16-31", "32-63", "64-127", "128-255", "256+"];

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>The module's label of bucket <paramref name="bucket"/> (<c>2-3</c>, <c>256+</c>), as the stats file writes it.</summary>
    public static string Label(int bucket) => Labels[bucket];

    /// <summary>The bucket of a label, or -1.</summary>
    public static int BucketOfLabel(string label) => Array.IndexOf(Labels, label);

    /// <summary>The bucket of a poll that returned <paramref name="work"/>: 0 for none, else min(fls(work), 9).</summary>
    public static int BucketOf(int work) =>
        work <= 0 ? 0 : Math.Min(BitOperations.Log2((uint)work) + 1, BucketCount - 1);

    /// <summary>The smallest poll result in <paramref name="bucket"/>.</summary>
    public static int LowerBound(int bucket) => bucket == 0 ? 0 : 1 << (bucket - 1);

    /// <summary>The polls counted in <paramref name="bucket"/>.</summary>
    public long this[int bucket] => _counts[bucket];

    /// <summary>All polls counted.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            foreach (long count in _counts)
            {
                total += count;
            }

            return total;
        }
    }

    /// <summary>Counts one poll that returned <paramref name="work"/>.</summary>
    public void Add(int work) => _counts[BucketOf(work)]++;

    /// <summary>Adds <paramref name="count"/> polls to <paramref name="bucket"/> (a parsed file, a sum).</summary>
    public void AddToBucket(int bucket, long count) => _counts[bucket] += count;

    /// <summary>Adds every bucket of <paramref name="other"/>.</summary>
    public void Add(KbpBatchHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int b = 0; b < BucketCount; b++)
        {
            _counts[b] += other._counts[b];
        }
    }

    /// <summary>The share of all polls in <paramref name="bucket"/>; NaN when there are none.</summary>
    public double Share(int bucket)
    {
        long total = Total;
        return total == 0 ? double.NaN : _counts[bucket] / (double)total;
    }
}
