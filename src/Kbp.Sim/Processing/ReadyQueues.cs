namespace Kbp.Sim.Processing;

/// <summary>
/// The waiting items of a processor: one first-come-first-served queue per priority
/// class, intrusive (the links live in the items), so queueing allocates nothing.
/// </summary>
internal sealed class ReadyQueues
{
    private readonly WorkItem?[] _heads;
    private readonly WorkItem?[] _tails;

    public ReadyQueues(int classCount)
    {
        _heads = new WorkItem?[classCount];
        _tails = new WorkItem?[classCount];
    }

    /// <summary>The most urgent class with a waiting item; -1 when none waits.</summary>
    public int HighestClass
    {
        get
        {
            for (int c = 0; c < _heads.Length; c++)
            {
                if (_heads[c] is not null)
                {
                    return c;
                }
            }

            return -1;
        }
    }

    /// <summary>The first waiting item of class <paramref name="priorityClass"/>.</summary>
    public WorkItem? Head(int priorityClass) => _heads[priorityClass];

    /// <summary>Queues an item behind the others of its class.</summary>
    public void PushBack(WorkItem item)
    {
        int c = item.PriorityClass;
        item.Next = null;
        item.Previous = _tails[c];
        if (_tails[c] is null)
        {
            _heads[c] = item;
        }
        else
        {
            _tails[c]!.Next = item;
        }

        _tails[c] = item;
    }

    /// <summary>Queues an item ahead of the others of its class (a preempted or continuing item).</summary>
    public void PushFront(WorkItem item)
    {
        int c = item.PriorityClass;
        item.Previous = null;
        item.Next = _heads[c];
        if (_heads[c] is null)
        {
            _tails[c] = item;
        }
        else
        {
            _heads[c]!.Previous = item;
        }

        _heads[c] = item;
    }

    /// <summary>Takes an item out of its queue.</summary>
    public void Unlink(WorkItem item)
    {
        int c = item.PriorityClass;
        if (item.Previous is null)
        {
            _heads[c] = item.Next;
        }
        else
        {
            item.Previous.Next = item.Next;
        }

        if (item.Next is null)
        {
            _tails[c] = item.Previous;
        }
        else
        {
            item.Next.Previous = item.Previous;
        }

        item.Previous = null;
        item.Next = null;
    }
}
