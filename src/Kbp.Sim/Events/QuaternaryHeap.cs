namespace Kbp.Sim.Events;

/// <summary>
/// The classic event queue: an implicit 4-ary min-heap of 16-byte
/// <see cref="QueueEntry"/> values in one array. Four children per node halve the height
/// of a binary heap and sit in one cache line, which is what matters once the heap
/// outgrows the cache (see README, Performance). Sifting moves a hole instead of
/// swapping, so each level costs one copy. With a few dozen entries, as in a model run,
/// it is only three levels deep, yet still slower there than the <see cref="SortedQueue"/>
/// the <see cref="AdaptiveQueue"/> uses, whose takes move nothing.
/// </summary>
public sealed class QuaternaryHeap : EntryArrayQueue, IEventQueue
{
    /// <summary>Creates an empty heap with room for <paramref name="initialCapacity"/> entries.</summary>
    public QuaternaryHeap(int initialCapacity = 1024)
        : base(initialCapacity)
    {
    }

    /// <inheritdoc/>
    public void Enqueue(QueueEntry entry)
    {
        QueueEntry[] items = RoomForOne();
        int hole = _count++;
        while (hole > 0)
        {
            int parent = (hole - 1) >> 2;
            QueueEntry p = items[parent];
            if (!entry.FiresBefore(p))
            {
                break;
            }

            items[hole] = p;
            hole = parent;
        }

        items[hole] = entry;
    }

    /// <inheritdoc/>
    public bool TryPeek(out QueueEntry entry)
    {
        if (_count == 0)
        {
            entry = default;
            return false;
        }

        entry = _items[0];
        return true;
    }

    /// <inheritdoc/>
    public bool TryDequeueDue(long limitNs, out QueueEntry entry)
    {
        if (_count == 0 || _items[0].TimeNs > limitNs)
        {
            entry = default;
            return false;
        }

        return TryDequeue(out entry);
    }

    /// <inheritdoc/>
    public bool TryDequeue(out QueueEntry entry)
    {
        if (_count == 0)
        {
            entry = default;
            return false;
        }

        QueueEntry[] items = _items;
        entry = items[0];
        int count = --_count;
        if (count == 0)
        {
            return true;
        }

        QueueEntry last = items[count];
        int hole = 0;
        while (true)
        {
            int first = (hole << 2) + 1;
            if (first >= count)
            {
                break;
            }

            int best = first;
            int end = Math.Min(first + 4, count);
            for (int child = first + 1; child < end; child++)
            {
                if (items[child].FiresBefore(items[best]))
                {
                    best = child;
                }
            }

            if (!items[best].FiresBefore(last))
            {
                break;
            }

            items[hole] = items[best];
            hole = best;
        }

        items[hole] = last;
        return true;
    }
}
