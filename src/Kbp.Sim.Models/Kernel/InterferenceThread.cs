namespace Kbp.Sim.Models.Kernel;

/// <summary>What a background load is: a thread, or an interrupt source.</summary>
public enum InterferenceKind
{
    /// <summary>A thread that wakes periodically (a kworker, a daemon, migration/N) and burns CPU.</summary>
    Thread,

    /// <summary>A device interrupt (disk) whose handler may raise a softIRQ.</summary>
    Irq,
}

/// <summary>How a background thread's periodic sleep ends.</summary>
public enum InterferenceWakeup
{
    /// <summary>A timer-wheel timer (kernel delayed work, kworkers): expires on a jiffy, woken from the TIMER softIRQ.</summary>
    TimerWheel,

    /// <summary>An hrtimer (nanosleep, poll and epoll timeouts of user daemons): expires at its exact time, woken from the timer hardIRQ.</summary>
    Hrtimer,
}

/// <summary>One configured background load on a CPU.</summary>
public sealed record InterferenceOptions
{
    /// <summary>Name as in ps, e.g. "kworker/3:1".</summary>
    public required string Name { get; init; }

    /// <summary>CPU it runs on.</summary>
    public required int Cpu { get; init; }

    /// <summary>Thread or IRQ.</summary>
    public InterferenceKind Kind { get; init; } = InterferenceKind.Thread;

    /// <summary>Scheduling policy of a thread.</summary>
    public SchedPolicy Policy { get; init; } = SchedPolicy.Fair;

    /// <summary>RT priority of a FIFO/RR thread.</summary>
    public int Priority { get; init; }

    /// <summary>Mean time between activations.</summary>
    public required long PeriodNs { get; init; }

    /// <summary>CPU time per activation.</summary>
    public required long BurstNs { get; init; }

    /// <summary>Uniform jitter of each period, as a fraction of it (0..1).</summary>
    public double Jitter { get; init; }

    /// <summary>softIRQ an IRQ raises (e.g. BLOCK for a disk), or null.</summary>
    public SoftirqVector? RaisesSoftirq { get; init; }

    /// <summary>How a thread's sleep ends: timer wheel (jiffy-aligned) or hrtimer (exact).</summary>
    public InterferenceWakeup Wakeup { get; init; } = InterferenceWakeup.TimerWheel;

    /// <summary>
    /// True for a daemon free to run on any CPU of the host. At each wakeup
    /// select_task_rq_fair → select_idle_sibling keeps it on its previous CPU only when that
    /// CPU is idle; otherwise it takes another idle CPU of the LLC. The model assumes the
    /// host has such an idle CPU outside the simulated ones (true of the paper's hosts, with
    /// 28 and 32 threads and fewer than 10 busy), so a wakeup that finds its CPU busy runs
    /// its burst elsewhere and does not touch the simulated CPUs.
    /// </summary>
    public bool Unbound { get; init; }
}

/// <summary>
/// A background thread that sleeps, is woken, runs its burst, and sleeps again. A kernel
/// worker sleeps on a timer-wheel timer and is woken by the TIMER softIRQ when it expires
/// (on a jiffy, possibly setting need_resched inside __do_softirq); a user daemon sleeps
/// on an hrtimer and is woken at the exact time from the timer hardIRQ (hrtimer_wakeup).
/// This is how daemons and kworkers take CPU from ksoftirqd in the model: through the
/// scheduler, not as injected delays.
/// </summary>
public sealed class InterferenceThread : KThread
{
    private readonly InterferenceOptions _options;
    private readonly Random _random;
    private readonly Action _afterBurst;
    private readonly Action _wake;
    private readonly Action _raiseHrtimer;
    private readonly Kbp.Sim.Events.EventCallback _onHrtimer;

    /// <summary>Creates the thread and arms its first timer.</summary>
    public InterferenceThread(KernelCpu cpu, InterferenceOptions options)
        : base(cpu, options.Name, options.Policy, options.Priority, userMode: true)
    {
        _options = options;
        _random = cpu.Kernel.Sim.Random.For($"{cpu.Kernel.Name}/interference/{options.Name}");
        _afterBurst = AfterBurst;
        _wake = WakeOnIdleSibling;
        _raiseHrtimer = () => Cpu.HardIrq.Raise("hrtimer", Cpu.Kernel.Costs.HardIrqNs, _wake);
        _onHrtimer = _ => Cpu.DeliverTimerInterrupt(_raiseHrtimer);
        ArmTimer(first: true);
    }

    /// <inheritdoc/>
    protected override void Run() => Execute(_options.BurstNs, _afterBurst);

    /// <summary>The timer expired: wake here, or, for an unbound daemon whose CPU is busy, on another CPU.</summary>
    private void WakeOnIdleSibling()
    {
        if (_options.Unbound && Cpu.RunQueue.RunnableCount > 0)
        {
            ArmTimer(first: false);
            return;
        }

        Wake();
    }

    private void AfterBurst()
    {
        ArmTimer(first: false);
        Sleep();
    }

    private void ArmTimer(bool first)
    {
        Kernel kernel = Cpu.Kernel;
        double factor = first ? _random.NextDouble() : 1.0 + (_options.Jitter * ((2 * _random.NextDouble()) - 1));
        if (_options.Wakeup == InterferenceWakeup.Hrtimer)
        {
            kernel.Sim.ScheduleAfter(Math.Max(1, (long)(_options.PeriodNs * factor)), _onHrtimer);
            return;
        }

        long delayNs = Math.Max(kernel.Options.TickNs, (long)(_options.PeriodNs * factor));
        long expires = kernel.Jiffies + ((delayNs + kernel.Options.TickNs - 1) / kernel.Options.TickNs);
        Cpu.Timers.Add(expires, _wake);
    }
}
