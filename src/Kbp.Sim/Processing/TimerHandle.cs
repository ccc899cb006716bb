namespace Kbp.Sim.Processing;

/// <summary>Names a timer set with <see cref="Processor.ScheduleTimer"/>; the default names none.</summary>
/// <param name="Slot">Index in the processor's timer table.</param>
/// <param name="Generation">Which use of that slot; 0 for "no timer".</param>
public readonly record struct TimerHandle(int Slot, long Generation)
{
    /// <summary>True for the default handle.</summary>
    public bool IsNone => Generation == 0;
}
