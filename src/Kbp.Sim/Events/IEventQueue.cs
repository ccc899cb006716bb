namespace Kbp.Sim.Events;

/// <summary>
/// The pending-event set: a priority queue of <see cref="QueueEntry"/> ordered by
/// (time, key). Pluggable, as ns-3's schedulers are, so implementations can be compared
/// (<c>bench/</c>, and the tests check they agree); callbacks and cancellation live in
/// the simulator, not here.
/// </summary>
/// <remarks>
/// What callers guarantee, as the <see cref="Simulator"/> does: each entry enqueued has a
/// larger key than all before it, and no entry is due before the last one dequeued. So
/// equal times leave in insertion order, and an implementation may rely on either fact.
/// </remarks>
public interface IEventQueue
{
    /// <summary>Number of entries held, cancelled ones not yet dropped included.</summary>
    int Count { get; }

    /// <summary>Adds an entry.</summary>
    void Enqueue(QueueEntry entry);

    /// <summary>Returns, without removing it, the entry that leaves next; false when empty.</summary>
    bool TryPeek(out QueueEntry entry);

    /// <summary>Removes and returns the entry that leaves next; false when empty.</summary>
    bool TryDequeue(out QueueEntry entry);

    /// <summary>
    /// Removes and returns the entry that leaves next if it is due at or before
    /// <paramref name="limitNs"/>; false, leaving the queue as it was, when empty or when
    /// that entry is due later. The simulator's loop calls this once per event, where a
    /// peek and a dequeue would look for the next entry twice.
    /// </summary>
    bool TryDequeueDue(long limitNs, out QueueEntry entry);
}
