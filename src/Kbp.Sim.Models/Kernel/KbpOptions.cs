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
/// The KBP thread's knobs, named as the kernel module's parameters (kernel-module/kbp.c,
/// issue [4/8]) so a scenario and a module load line say the same thing. Each knob carries
/// its module parameter's name (<see cref="ModuleParameterAttribute"/>); the contract test
/// parses kbp.c and checks names, defaults and ranges in both directions.
/// <see cref="KbpModuleParameters"/> writes the values in the module's words (the policy
/// the model calls <see cref="SchedPolicy.Fair"/> is the module's <c>normal</c>).
/// </summary>
public sealed record KbpOptions
{
    /// <summary>The smallest weight the module accepts.</summary>
    public const int MinWeight = 1;

    /// <summary>The largest weight the module accepts (KBP_WEIGHT_MAX in kbp.c).</summary>
    public const int MaxWeight = 256;

    /// <summary>The smallest RT priority (sched_setattr for fifo/rr).</summary>
    public const int MinPriority = 1;

    /// <summary>The largest RT priority, MAX_RT_PRIO - 1.</summary>
    public const int MaxPriority = 99;

    /// <summary>
    /// CPUs that run a KBP thread (module parameter cpus) [0]. The module also forwards
    /// napis scheduled on other CPUs to a KBP CPU; the model keeps the stock path for them
    /// (<see cref="KbpNapiScheduler"/>), so scenarios put the thread on the IRQ's CPU.
    /// </summary>
    [ModuleParameter("cpus", ScenarioKey = "cpus", ScenarioDefaultIsDerived = true)]
    public IReadOnlyList<int> Cpus { get; init; } = [0];

    /// <summary>Budget of each napi poll (module parameter weight, 1..256) [NAPI_POLL_WEIGHT 64].</summary>
    [ModuleParameter("weight", ScenarioKey = "weight", Minimum = MinWeight, Maximum = MaxWeight)]
    public int Weight { get; init; } = 64;

    /// <summary>Busy poll or sleep when idle (module parameter idle_mode) [busy].</summary>
    [ModuleParameter("idle_mode", ScenarioKey = "idle")]
    public KbpIdleMode IdleMode { get; init; } = KbpIdleMode.Busy;

    /// <summary>Scheduling policy (module parameter policy: fifo, rr, normal = <see cref="SchedPolicy.Fair"/>) [fifo].</summary>
    [ModuleParameter("policy", ScenarioKey = "policy")]
    public SchedPolicy Policy { get; init; } = SchedPolicy.Fifo;

    /// <summary>RT priority (module parameter priority, 1..99) [sched_set_fifo: MAX_RT_PRIO/2 = 50].</summary>
    [ModuleParameter("priority", ScenarioKey = "priority", Minimum = MinPriority, Maximum = MaxPriority)]
    public int Priority { get; init; } = 50;

    /// <summary>
    /// One turn of the busy loop that finds the list empty (check, cpu_relax, cond_resched):
    /// how long a newly scheduled napi can go unnoticed. Calibration assumption (docs/calibration.md).
    /// </summary>
    [ModelOnly("the duration of one empty turn of kbp_thread_fn's loop; the module has no such knob")]
    public long PollLoopNs { get; init; } = 100;
}
