namespace Kbp.Sim.Events;

/// <summary>
/// Names one scheduled event so it can be cancelled (a timer re-armed, a completion
/// withdrawn on preemption). The default value names no event.
/// </summary>
/// <param name="Slot">Where the simulator keeps the event's callback.</param>
/// <param name="Sequence">The event's insertion number; 0 for "no event".</param>
public readonly record struct EventHandle(int Slot, long Sequence)
{
    /// <summary>True for the default handle, which names no event.</summary>
    public bool IsNone => Sequence == 0;
}
