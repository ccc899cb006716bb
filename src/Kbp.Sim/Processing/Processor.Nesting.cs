using Kbp.Sim.Events;

namespace Kbp.Sim.Processing;

/// <summary>
/// Nesting: a processor gated by a work item of another processor (a guest CPU gated by its
/// vCPU thread) follows that item's run state, and holds its timers while the gate is closed.
/// </summary>
public sealed partial class Processor
{
    /// <summary>Timers that expired while the gate was closed and wait for it to open.</summary>
    public int HeldTimerCount => _timers.HeldCount;

    /// <summary>
    /// Sets a timer for code running on this processor: <paramref name="callback"/> fires
    /// at <paramref name="atNs"/>, or, if the gate is closed then, as soon as it opens.
    /// </summary>
    public TimerHandle ScheduleTimer(long atNs, EventCallback callback, long argument = 0) =>
        _timers.Schedule(atNs, callback, argument);

    /// <summary>Cancels a timer not yet fired (pending or held); false if there is none.</summary>
    public bool CancelTimer(TimerHandle handle) => _timers.Cancel(handle);

    /// <summary>The gate's state changed: pause, resume, or re-plan at its new speed.</summary>
    void IRunStateObserver.OnRunStateChanged(WorkItem item)
    {
        bool open = item.State == WorkState.Running;
        if (open && !_gateOpen)
        {
            _gateOpen = true;
            Dispatch();
            _timers.OnGateOpened();
        }
        else if (!open && _gateOpen)
        {
            _gateOpen = false;
            if (_current is not null)
            {
                StopCurrent(WorkState.Ready);
            }
        }
        else if (open && _current is not null)
        {
            Replan();
        }
    }
}
