using System.Runtime.CompilerServices;

namespace Kbp.Sim.Events;

/// <summary>
/// One entry of the event queue: 16 bytes, so four heap siblings share a cache line.
/// Entries are ordered by (<see cref="TimeNs"/>, <see cref="Key"/>). The simulator puts
/// the insertion sequence number in the key's high bits, so events due at the same time
/// fire in the order they were scheduled, and what the event does in its low bits.
/// </summary>
/// <param name="TimeNs">When the event fires, in simulated nanoseconds.</param>
/// <param name="Key">Tie-breaker and payload reference, opaque to the queue.</param>
public readonly record struct QueueEntry(long TimeNs, ulong Key)
{
    /// <summary>True when this entry fires before <paramref name="other"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool FiresBefore(in QueueEntry other) =>
        TimeNs < other.TimeNs || (TimeNs == other.TimeNs && Key < other.Key);
}
