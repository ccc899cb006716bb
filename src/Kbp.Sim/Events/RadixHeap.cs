using System.Numerics;
using System.Runtime.CompilerServices;

namespace Kbp.Sim.Events;

/// <summary>
/// The event queue for large pending sets: a radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, "Faster
/// algorithms for the shortest path problem", JACM 1990). It relies on what every
/// discrete-event simulation guarantees: no event is scheduled before the last one
/// taken. Entries live in 65 buckets by the highest bit in which their time differs
/// from that of the last entry taken; bucket 0 holds the entries due at exactly that
/// time. Insertion is an append. When bucket 0 runs dry, the lowest non-empty bucket is
/// scanned for its earliest time, which becomes the new reference, and its entries are
/// spread over lower buckets; an entry can only move down, at most 64 times. The work
/// is sequential array traffic, which is why it stays fast with a million pending events
/// where heaps become cache-bound (see README, Performance).
/// </summary>
/// <remarks>
/// Entries due at the same time always share a bucket, and every bucket keeps the order
/// in which entries reached it, so ties leave in insertion order (keys are never
/// compared). Bucket 0 is consumed from the front.
/// </remarks>
public sealed class RadixHeap : IEventQueue
{
    private const int BucketCount = 65;
    private readonly QueueEntry[][] _buckets = new QueueEntry[BucketCount][];
    private readonly int[] _counts = new int[BucketCount];
    private int _head;
    private ulong _occupied;
    private long _lastTakenNs;
    private int _count;

    /// <summary>Creates an empty radix heap.</summary>
    public RadixHeap()
    {
        for (int b = 0; b < BucketCount; b++)
        {
            _buckets[b] = new QueueEntry[16];
        }
    }

    /// <inheritdoc/>
    public int Count => _count;

    /// <summary>
    /// Makes the empty heap take entries due at or after <paramref name="lastTakenNs"/>
    /// (the time of the last entry taken from the queue it replaces).
    /// </summary>
    internal void Restart(long lastTakenNs)
    {
        if (_count != 0)
        {
            throw new InvalidOperationException("only an empty radix heap can restart");
        }

        _head = 0;
        _counts[0] = 0;
        _lastTakenNs = lastTakenNs;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">When the entry is due before the last one taken, or at a negative time.</exception>
    public void Enqueue(QueueEntry entry)
    {
        if (entry.TimeNs < _lastTakenNs)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.TimeNs, $"a radix heap cannot take an entry due before the last one taken ({_lastTakenNs} ns)");
        }

        Append(BucketOf(entry.TimeNs), entry);
        _count++;
    }

    /// <inheritdoc/>
    public bool TryPeek(out QueueEntry entry)
    {
        if (_count == 0)
        {
            entry = default;
            return false;
        }

        if (_head < _counts[0])
        {
            entry = _buckets[0][_head];
            return true;
        }

        // Look without redistributing, so the reference time never passes the clock.
        int b = LowestOccupiedBucket();
        entry = _buckets[b][IndexOfEarliest(b)];
        return true;
    }

    /// <inheritdoc/>
    public bool TryDequeue(out QueueEntry entry)
    {
        if (_count == 0)
        {
            entry = default;
            return false;
        }

        if (_head == _counts[0])
        {
            int b = LowestOccupiedBucket();
            Refill(b, IndexOfEarliest(b));
        }

        entry = _buckets[0][_head++];
        _count--;
        return true;
    }

    /// <inheritdoc/>
    public bool TryDequeueDue(long limitNs, out QueueEntry entry)
    {
        if (_count == 0)
        {
            entry = default;
            return false;
        }

        if (_head == _counts[0])
        {
            // Redistribute only when the earliest entry is due, so the reference time never
            // passes the limit (the simulator's clock stops there, and may schedule before it).
            int b = LowestOccupiedBucket();
            int earliest = IndexOfEarliest(b);
            if (_buckets[b][earliest].TimeNs > limitNs)
            {
                entry = default;
                return false;
            }

            Refill(b, earliest);
        }
        else if (_lastTakenNs > limitNs)
        {
            entry = default;
            return false;
        }

        entry = _buckets[0][_head++];
        _count--;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BucketOf(long timeNs) => 64 - BitOperations.LeadingZeroCount((ulong)(timeNs ^ _lastTakenNs));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(int bucket, QueueEntry entry)
    {
        QueueEntry[] items = _buckets[bucket];
        int n = _counts[bucket];
        if (n == items.Length)
        {
            Array.Resize(ref _buckets[bucket], n * 2);
            items = _buckets[bucket];
        }

        items[n] = entry;
        _counts[bucket] = n + 1;
        if (bucket != 0)
        {
            _occupied |= 1UL << (bucket - 1);
        }
    }

    private int LowestOccupiedBucket() => BitOperations.TrailingZeroCount(_occupied) + 1;

    /// <summary>The first entry, in bucket order, with the bucket's earliest time.</summary>
    private int IndexOfEarliest(int bucket)
    {
        QueueEntry[] items = _buckets[bucket];
        int n = _counts[bucket];
        int best = 0;
        for (int i = 1; i < n; i++)
        {
            if (items[i].TimeNs < items[best].TimeNs)
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// Bucket 0 is empty: the time of entry <paramref name="earliest"/> of bucket
    /// <paramref name="b"/>, the lowest occupied one, becomes the reference.
    /// </summary>
    private void Refill(int b, int earliest)
    {
        _head = 0;
        _counts[0] = 0;
        QueueEntry[] items = _buckets[b];
        int n = _counts[b];
        _lastTakenNs = items[earliest].TimeNs;
        _counts[b] = 0;
        _occupied &= ~(1UL << (b - 1));
        for (int i = 0; i < n; i++)
        {
            Append(BucketOf(items[i].TimeNs), items[i]);
        }
    }
}
