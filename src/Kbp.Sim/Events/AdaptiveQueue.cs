namespace Kbp.Sim.Events;

/// <summary>
/// The default event queue: a <see cref="QuaternaryHeap"/> while few events are pending,
/// a <see cref="RadixHeap"/> while many are. A model run keeps a few dozen events pending
/// (a completion per busy CPU, a tick per CPU, the tester's next frame), where the shallow
/// heap is the faster of the two; bursts of thousands (a storm of re-armed timers whose
/// cancelled entries wait to reach the front) and the hold benchmark's large pending sets
/// are where the radix heap stays fast (README, Performance).
/// </summary>
/// <remarks>
/// Both order entries by (time, key), so the switch changes nothing in what fires when:
/// the entries move over in that order, which keeps ties in insertion order in the radix
/// heap too. Switching costs O(n log n) and happens only when the size crosses a
/// threshold, with hysteresis. Like the radix heap, it takes no entry due before the last
/// one taken, nor at a negative time.
/// In heap mode, an entry that fires before everything pending is held beside the heap
/// (a thread's next step usually is the earliest event: about 30 % of those scheduled in
/// a KBP run) and taken from there without sifting; the order is (time, key) as before.
/// </remarks>
public sealed class AdaptiveQueue : IEventQueue
{
    private readonly QuaternaryHeap _heap = new();
    private readonly RadixHeap _radix = new();
    private readonly int _growAt;
    private readonly int _shrinkAt;
    private bool _useRadix;
    private long _lastTakenNs;

    // In heap mode: the entry that fires next, when it was enqueued ahead of the heap.
    private QueueEntry _front;
    private bool _hasFront;

    /// <summary>Creates an empty queue, in heap mode.</summary>
    /// <param name="growAt">Move to the radix heap when an entry makes the count reach this.</param>
    /// <param name="shrinkAt">Move back to the 4-ary heap when taking an entry leaves this many.</param>
    public AdaptiveQueue(int growAt = 512, int shrinkAt = 128)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shrinkAt);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(growAt, shrinkAt);
        _growAt = growAt;
        _shrinkAt = shrinkAt;
    }

    /// <summary>True while the entries are held in the radix heap.</summary>
    public bool UsesRadixHeap => _useRadix;

    /// <inheritdoc/>
    public int Count => _useRadix ? _radix.Count : _heap.Count + (_hasFront ? 1 : 0);

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">When the entry is due before the last one taken, or at a negative time.</exception>
    public void Enqueue(QueueEntry entry)
    {
        if (_useRadix)
        {
            _radix.Enqueue(entry);
            return;
        }

        if (entry.TimeNs < _lastTakenNs)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.TimeNs, $"cannot take an entry due before the last one taken ({_lastTakenNs} ns)");
        }

        if (_hasFront)
        {
            if (entry.FiresBefore(_front))
            {
                (entry, _front) = (_front, entry);
            }
        }
        else if (_heap.Count == 0 || entry.FiresBefore(_heap.Min))
        {
            _front = entry;
            _hasFront = true;
            return;
        }

        _heap.Enqueue(entry);
        if (Count >= _growAt)
        {
            _radix.Restart(_lastTakenNs);
            if (_hasFront)
            {
                _radix.Enqueue(_front);
                _hasFront = false;
            }

            while (_heap.TryDequeue(out QueueEntry e))
            {
                _radix.Enqueue(e);
            }

            _useRadix = true;
        }
    }

    /// <inheritdoc/>
    public bool TryPeek(out QueueEntry entry)
    {
        if (_hasFront)
        {
            entry = _front;
            return true;
        }

        return _useRadix ? _radix.TryPeek(out entry) : _heap.TryPeek(out entry);
    }

    /// <inheritdoc/>
    public bool TryDequeue(out QueueEntry entry) => TryDequeueDue(long.MaxValue, out entry);

    /// <inheritdoc/>
    public bool TryDequeueDue(long limitNs, out QueueEntry entry)
    {
        if (_hasFront)
        {
            if (_front.TimeNs > limitNs)
            {
                entry = default;
                return false;
            }

            entry = _front;
            _hasFront = false;
            _lastTakenNs = entry.TimeNs;
            return true;
        }

        if (!_useRadix)
        {
            if (!_heap.TryDequeueDue(limitNs, out entry))
            {
                return false;
            }

            _lastTakenNs = entry.TimeNs;
            return true;
        }

        if (!_radix.TryDequeueDue(limitNs, out entry))
        {
            return false;
        }

        _lastTakenNs = entry.TimeNs;
        if (_radix.Count <= _shrinkAt)
        {
            while (_radix.TryDequeue(out QueueEntry e))
            {
                _heap.Enqueue(e);
            }

            _useRadix = false;
        }

        return true;
    }
}
