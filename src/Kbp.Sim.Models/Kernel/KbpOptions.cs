namespace Kbp.Sim.Models.Kernel;

/// <summary>How a KBP thread waits when its poll list is empty (module parameter idle_mode).</summary>
public enum KbpIdleMode
{
    /// <summary>Pure busy poll, as in the paper: the thread never sleeps.</summary>
    Busy,

    /// <summary>Sleeps when idle; __napi_schedule wakes it.</summary>
    Sleep,
}

/// <summary>
/// The KBP thread's knobs, named as the kernel module's parameters (kernel-module/, issue
/// [4/8]) so a scenario and a module load line say the same thing.
/// </summary>
public sealed record KbpOptions
{
    /// <summary>CPUs that run a KBP thread (module parameter cpus).</summary>
    public IReadOnlyList<int> Cpus { get; init; } = [0];

    /// <summary>Frames per napi poll (module parameter weight) [NAPI_POLL_WEIGHT 64].</summary>
    public int Weight { get; init; } = 64;

    /// <summary>Busy poll or sleep when idle (module parameter idle_mode).</summary>
    public KbpIdleMode IdleMode { get; init; } = KbpIdleMode.Busy;

    /// <summary>Scheduling policy (module parameter policy).</summary>
    public SchedPolicy Policy { get; init; } = SchedPolicy.Fifo;

    /// <summary>RT priority (module parameter priority) [sched_set_fifo: MAX_RT_PRIO/2 = 50].</summary>
    public int Priority { get; init; } = 50;

    /// <summary>
    /// One turn of the busy loop that finds the list empty (check, cpu_relax, cond_resched):
    /// how long a newly scheduled napi can go unnoticed. Calibration assumption (docs/calibration.md).
    /// </summary>
    public long PollLoopNs { get; init; } = 100;
}
