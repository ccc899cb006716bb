namespace Kbp.Sim.Events;

/// <summary>
/// The default event queue: a <see cref="SortedQueue"/> while a few dozen events are
/// pending, a <see cref="QuaternaryHeap"/> while up to a few hundred are, a
/// <see cref="RadixHeap"/> while more are. A model run keeps a few dozen events pending (a
/// completion per busy CPU, a tick per CPU, the tester's next frame) and mostly schedules
/// what fires soon, where the sorted array is the fastest (5-9 % off a whole bench
/// scenario run against the heap); runs with more pending go to the shallow heap, whose
/// takes sift but whose inserts copy nothing; bursts of thousands (a storm of re-armed
/// timers whose cancelled entries wait to reach the front) and the hold benchmark's large
/// pending sets are where the radix heap stays fast (README, Performance).
/// </summary>
/// <remarks>
/// All three order entries by (time, key), so a switch changes nothing in what fires when:
/// the entries move over in that order, which keeps ties in insertion order in the radix
/// heap too. Switching costs O(n log n) and happens only when the size crosses a
/// threshold, with hysteresis. Like the radix heap, it takes no entry due before the last
/// one taken, nor at a negative time.
/// </remarks>
public sealed class AdaptiveQueue : IEventQueue
{
    private readonly SortedQueue _sorted = new();
    private readonly QuaternaryHeap _heap = new();
    private readonly RadixHeap _radix = new();
    private readonly int _sortedUpTo;
    private readonly int _growAt;
    private readonly int _shrinkAt;
    private Mode _mode;
    private long _lastTakenNs;

    /// <summary>Creates an empty queue, in sorted-array mode.</summary>
    /// <param name="growAt">Move to the radix heap when an entry makes the count reach this.</param>
    /// <param name="shrinkAt">Move back to the 4-ary heap when taking an entry leaves this many.</param>
    /// <param name="sortedUpTo">
    /// Leave the sorted array when an entry makes the count reach this (or
    /// <paramref name="growAt"/>, if lower), and come back from the 4-ary heap when a take
    /// leaves a quarter of it: past a few dozen entries, the sorted array's inserts copy
    /// more than the heap's takes sift.
    /// </param>
    public AdaptiveQueue(int growAt = 512, int shrinkAt = 128, int sortedUpTo = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shrinkAt);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(growAt, shrinkAt);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sortedUpTo);
        _growAt = growAt;
        _shrinkAt = shrinkAt;
        _sortedUpTo = Math.Min(sortedUpTo, growAt);
    }

    private enum Mode
    {
        Sorted,
        Heap,
        Radix,
    }

    /// <summary>True while the entries are held in the radix heap.</summary>
    public bool UsesRadixHeap => _mode == Mode.Radix;

    /// <inheritdoc/>
    public int Count => _mode switch
    {
        Mode.Sorted => _sorted.Count,
        Mode.Heap => _heap.Count,
        _ => _radix.Count,
    };

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">When the entry is due before the last one taken, or at a negative time.</exception>
    public void Enqueue(QueueEntry entry)
    {
        if (_mode == Mode.Radix)
        {
            _radix.Enqueue(entry);
            return;
        }

        if (entry.TimeNs < _lastTakenNs)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.TimeNs, $"cannot take an entry due before the last one taken ({_lastTakenNs} ns)");
        }

        if (_mode == Mode.Sorted)
        {
            _sorted.Enqueue(entry);
            if (_sorted.Count >= _growAt)
            {
                ToRadix(_sorted);
            }
            else if (_sorted.Count >= _sortedUpTo)
            {
                MoveAll(_sorted, _heap);
                _mode = Mode.Heap;
            }

            return;
        }

        _heap.Enqueue(entry);
        if (_heap.Count >= _growAt)
        {
            ToRadix(_heap);
        }
    }

    /// <inheritdoc/>
    public bool TryPeek(out QueueEntry entry) => _mode switch
    {
        Mode.Sorted => _sorted.TryPeek(out entry),
        Mode.Heap => _heap.TryPeek(out entry),
        _ => _radix.TryPeek(out entry),
    };

    /// <inheritdoc/>
    public bool TryDequeue(out QueueEntry entry) => TryDequeueDue(long.MaxValue, out entry);

    /// <inheritdoc/>
    public bool TryDequeueDue(long limitNs, out QueueEntry entry)
    {
        if (_mode == Mode.Sorted)
        {
            if (!_sorted.TryDequeueDue(limitNs, out entry))
            {
                return false;
            }

            _lastTakenNs = entry.TimeNs;
            return true;
        }

        if (_mode == Mode.Heap)
        {
            if (!_heap.TryDequeueDue(limitNs, out entry))
            {
                return false;
            }

            _lastTakenNs = entry.TimeNs;
            if (_heap.Count <= _sortedUpTo / 4)
            {
                MoveAll(_heap, _sorted);
                _mode = Mode.Sorted;
            }

            return true;
        }

        if (!_radix.TryDequeueDue(limitNs, out entry))
        {
            return false;
        }

        _lastTakenNs = entry.TimeNs;
        if (_radix.Count <= _shrinkAt)
        {
            MoveAll(_radix, _heap);
            _mode = Mode.Heap;
        }

        return true;
    }

    private void ToRadix(IEventQueue from)
    {
        _radix.Restart(_lastTakenNs);
        MoveAll(from, _radix);
        _mode = Mode.Radix;
    }

    private static void MoveAll(IEventQueue from, IEventQueue to)
    {
        while (from.TryDequeue(out QueueEntry e))
        {
            to.Enqueue(e);
        }
    }
}
