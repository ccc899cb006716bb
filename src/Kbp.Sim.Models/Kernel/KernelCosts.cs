namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// CPU costs of one kernel instance at nominal frequency, in nanoseconds. None is fixed by
/// the kernel: each is a calibration parameter whose value and source live in the
/// calibration profile and docs/calibration.md.
/// </summary>
public sealed record KernelCosts
{
    /// <summary>hardIRQ entry, handler and exit.</summary>
    public long HardIrqNs { get; init; } = 1_000;

    /// <summary>Entering/leaving __do_softirq, per pass.</summary>
    public long SoftirqEntryNs { get; init; } = 100;

    /// <summary>TIMER_SOFTIRQ handler, per run, plus each expired timer's callback.</summary>
    public long TimerSoftirqNs { get; init; } = 2_000;

    /// <summary>RCU_SOFTIRQ handler per run.</summary>
    public long RcuSoftirqNs { get; init; } = 1_000;

    /// <summary>SCHED_SOFTIRQ handler per run.</summary>
    public long SchedSoftirqNs { get; init; } = 1_000;

    /// <summary>BLOCK_SOFTIRQ handler per run.</summary>
    public long BlockSoftirqNs { get; init; } = 2_000;

    /// <summary>The local timer tick's hardIRQ work (update_process_times, scheduler_tick).</summary>
    public long TickNs { get; init; } = 1_000;

    /// <summary>A context switch, charged to the incoming thread.</summary>
    public long ContextSwitchNs { get; init; } = 2_000;

    /// <summary>try_to_wake_up of a sleeping thread, charged to the waker.</summary>
    public long WakeupNs { get; init; } = 1_000;

    /// <summary>These costs with every time multiplied by <paramref name="factor"/> (another clock).</summary>
    public KernelCosts ScaledBy(double factor)
    {
        long S(long ns) => (long)Math.Round(ns * factor);
        return new KernelCosts
        {
            HardIrqNs = S(HardIrqNs),
            SoftirqEntryNs = S(SoftirqEntryNs),
            TimerSoftirqNs = S(TimerSoftirqNs),
            RcuSoftirqNs = S(RcuSoftirqNs),
            SchedSoftirqNs = S(SchedSoftirqNs),
            BlockSoftirqNs = S(BlockSoftirqNs),
            TickNs = S(TickNs),
            ContextSwitchNs = S(ContextSwitchNs),
            WakeupNs = S(WakeupNs),
        };
    }
}
