namespace Kbp.Sim.Processing;

/// <summary>Where a <see cref="WorkItem"/> stands with respect to a processor.</summary>
public enum WorkState
{
    /// <summary>Not on any processor: not started, completed, or withdrawn.</summary>
    Idle,

    /// <summary>Queued on a processor, waiting for it (never run, preempted, or paused).</summary>
    Ready,

    /// <summary>Executing on its processor now.</summary>
    Running,
}
