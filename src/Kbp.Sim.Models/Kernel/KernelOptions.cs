using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// Policy constants of one kernel instance (a host or a guest). Defaults are the kernel's
/// own, with the source in each comment (kernel-mechanics.md section in brackets).
/// </summary>
public sealed record KernelOptions
{
    /// <summary>Which release's softirq/scheduler rules apply [§9].</summary>
    public KernelVersion Version { get; init; } = KernelVersion.V4_15;

    /// <summary>CONFIG_HZ: Ubuntu 18.04 and Debian 12 build with 250 [§1.8].</summary>
    public int Hz { get; init; } = 250;

    /// <summary>Online CPUs, for CFS tunable scaling (get_update_sysctl_factor) [§6.1].</summary>
    public int OnlineCpus { get; init; } = 1;

    /// <summary>MAX_SOFTIRQ_RESTART: at most 10 passes per __do_softirq (kernel/softirq.c) [§1.4].</summary>
    public int SoftirqMaxRestart { get; init; } = 10;

    /// <summary>MAX_SOFTIRQ_TIME = msecs_to_jiffies(2): 1 jiffy at HZ=250 (kernel/softirq.c) [§1.4].</summary>
    public int SoftirqMaxJiffies => (int)Math.Max(1, ((2L * Hz) + 999) / 1000);

    /// <summary>netdev_budget: 300 packets per net_rx_action (net/core/dev.c) [§2.3].</summary>
    public int NetdevBudget { get; init; } = 300;

    /// <summary>netdev_budget_usecs = 2*USEC_PER_SEC/HZ: 2 jiffies (net/core/dev.c) [§2.3].</summary>
    public int NetdevBudgetJiffies { get; init; } = 2;

    /// <summary>NAPI_POLL_WEIGHT: 64 (include/linux/netdevice.h) [§2.3].</summary>
    public int NapiWeight { get; init; } = 64;

    /// <summary>netdev_max_backlog: 1000 frames in a CPU's input_pkt_queue; one more is dropped (net/core/dev.c) [§3.1].</summary>
    public int NetdevMaxBacklog { get; init; } = 1000;

    /// <summary>dev_weight (dev_rx_weight): 64, the backlog napi's weight (net/core/dev.c) [§3.1].</summary>
    public int DevWeight { get; init; } = 64;

    /// <summary>sysctl_sched_latency base 6 ms before scaling (kernel/sched/fair.c) [§6.1].</summary>
    public long SchedLatencyBaseNs { get; init; } = 6 * SimTime.NsPerMs;

    /// <summary>sysctl_sched_min_granularity base 0.75 ms before scaling [§6.1].</summary>
    public long SchedMinGranularityBaseNs { get; init; } = 750 * SimTime.NsPerUs;

    /// <summary>sysctl_sched_wakeup_granularity base 1 ms before scaling [§6.1].</summary>
    public long SchedWakeupGranularityBaseNs { get; init; } = 1 * SimTime.NsPerMs;

    /// <summary>sched_nr_latency: beyond 8 runnable tasks the period stretches [§6.1].</summary>
    public int SchedNrLatency { get; init; } = 8;

    /// <summary>sysctl_sched_rt_period: 1 s (kernel/sched/core.c, rt.c) [§6.3].</summary>
    public long RtPeriodNs { get; init; } = SimTime.NsPerS;

    /// <summary>sysctl_sched_rt_runtime: 950 ms per period; -1 disables throttling [§6.3].</summary>
    public long RtRuntimeNs { get; init; } = 950 * SimTime.NsPerMs;

    /// <summary>RT_RUNTIME_SHARE (kernel/sched/features.h): true on 4.15, false on 6.1/6.12 [§6.3].</summary>
    public bool RtRuntimeShare => Version == KernelVersion.V4_15;

    /// <summary>
    /// "softirq: Let ksoftirqd do its job": while ksoftirqd is runnable, softirqs are not run
    /// at irq exit or local_bh_enable (4.15, 6.1; reverted in 6.5) [§1.6].
    /// </summary>
    public bool DefersToRunnableKsoftirqd => Version != KernelVersion.V6_12;

    /// <summary>
    /// Interval of load-balancing SCHED_SOFTIRQ raises from the tick (trigger_load_balance,
    /// rq->next_balance). Calibration assumption, see docs/calibration.md.
    /// </summary>
    public long SchedSoftirqIntervalNs { get; init; } = 4 * SimTime.NsPerMs;

    /// <summary>Interval of RCU_SOFTIRQ raises from the tick (rcu_pending). Calibration assumption.</summary>
    public long RcuSoftirqIntervalNs { get; init; } = 8 * SimTime.NsPerMs;

    /// <summary>One jiffy.</summary>
    public long TickNs => SimTime.NsPerS / Hz;

    /// <summary>CFS tunable scaling factor 1 + ilog2(min(ncpu, 8)) (SCHED_TUNABLESCALING_LOG) [§6.1].</summary>
    public int CfsScalingFactor => 1 + (int)Math.Log2(Math.Min(Math.Max(OnlineCpus, 1), 8));

    /// <summary>Scaled sched_latency (24 ms with 8 or more CPUs).</summary>
    public long SchedLatencyNs => SchedLatencyBaseNs * CfsScalingFactor;

    /// <summary>Scaled sched_min_granularity (3 ms with 8 or more CPUs).</summary>
    public long SchedMinGranularityNs => SchedMinGranularityBaseNs * CfsScalingFactor;

    /// <summary>
    /// The fair class is EEVDF (6.6+: "sched/fair: Implement an EEVDF-like scheduling
    /// policy") rather than CFS's latency/granularity rules [§6.2].
    /// </summary>
    public bool UsesEevdf => Version == KernelVersion.V6_12;

    /// <summary>
    /// EEVDF's sysctl_sched_base_slice scaled like the CFS tunables: 0.75 ms in v6.12.0 (0.70
    /// ms after the 2025 backport of "sched: Reduce the default slice"), × the factor [§6.2].
    /// </summary>
    public long SchedBaseSliceNs => SchedMinGranularityBaseNs * CfsScalingFactor;

    /// <summary>Scaled sched_wakeup_granularity (4 ms with 8 or more CPUs).</summary>
    public long SchedWakeupGranularityNs => SchedWakeupGranularityBaseNs * CfsScalingFactor;
}
