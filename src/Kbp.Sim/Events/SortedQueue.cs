namespace Kbp.Sim.Events;

/// <summary>
/// An event queue for the few dozen entries a model run keeps pending: one array of
/// 16-byte <see cref="QueueEntry"/> values sorted latest first, so the entry that fires
/// next is the last one and taking it moves nothing. An entry goes in after moving up,
/// up one place the entries that fire before it: a model mostly schedules what fires soon,
/// so its place is found walking a few places from the end; further in, by bisection, and
/// the entries between move in one copy. With up to a hundred or so entries this beats the
/// 4-ary heap, which sifts through all its levels on every take (<see cref="AdaptiveQueue"/>);
/// with more, the copies cost more than sifting.
/// </summary>
public sealed class SortedQueue : EntryArrayQueue, IEventQueue
{
    // Places walked from the end before bisecting: most entries go in within a few.
    private const int WalkLimit = 32;

    /// <summary>Creates an empty queue with room for <paramref name="initialCapacity"/> entries.</summary>
    public SortedQueue(int initialCapacity = 64)
        : base(initialCapacity)
    {
    }

    /// <inheritdoc/>
    public void Enqueue(QueueEntry entry)
    {
        QueueEntry[] items = RoomForOne();
        int hole = _count++;
        int walkEnd = Math.Max(0, hole - WalkLimit);
        while (hole > walkEnd && items[hole - 1].FiresBefore(entry))
        {
            items[hole] = items[hole - 1];
            hole--;
        }

        if (hole > 0 && hole == walkEnd && items[hole - 1].FiresBefore(entry))
        {
            // Further in: find the place by bisection, then move the entries between in one copy.
            int place = FirstFiringBefore(items, hole - 1, entry);
            Array.Copy(items, place, items, place + 1, hole - place);
            hole = place;
        }

        items[hole] = entry;
    }

    /// <summary>The first index up to <paramref name="last"/> whose entry fires before <paramref name="entry"/>; the one at <paramref name="last"/> does.</summary>
    private static int FirstFiringBefore(QueueEntry[] items, int last, QueueEntry entry)
    {
        int low = 0;
        int high = last;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (items[middle].FiresBefore(entry))
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <inheritdoc/>
    public bool TryPeek(out QueueEntry entry)
    {
        if (_count == 0)
        {
            entry = default;
            return false;
        }

        entry = _items[_count - 1];
        return true;
    }

    /// <inheritdoc/>
    public bool TryDequeue(out QueueEntry entry) => TryDequeueDue(long.MaxValue, out entry);

    /// <inheritdoc/>
    public bool TryDequeueDue(long limitNs, out QueueEntry entry)
    {
        if (_count == 0 || _items[_count - 1].TimeNs > limitNs)
        {
            entry = default;
            return false;
        }

        entry = _items[--_count];
        return true;
    }
}
