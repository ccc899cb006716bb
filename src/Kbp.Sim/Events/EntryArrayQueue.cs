namespace Kbp.Sim.Events;

/// <summary>
/// What the array-based queues (<see cref="QuaternaryHeap"/>, <see cref="SortedQueue"/>)
/// share: their entries in one array that doubles when full, and the count in use.
/// </summary>
public abstract class EntryArrayQueue
{
    private protected QueueEntry[] _items;
    private protected int _count;

    private protected EntryArrayQueue(int initialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        _items = new QueueEntry[initialCapacity];
    }

    /// <summary>Number of entries held.</summary>
    public int Count => _count;

    /// <summary>Makes room for one more entry; returns the array to put it in.</summary>
    private protected QueueEntry[] RoomForOne()
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        return _items;
    }
}
