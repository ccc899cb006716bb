namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// softIRQ state of one CPU (kernel/softirq.c): the pending bits, where pending vectors
/// run, and __do_softirq's loop with its limits.
/// </summary>
/// <remarks>
/// <para>Where they run (kernel-mechanics §1.3): at irq exit when the CPU was not already in
/// interrupt context (invoke_softirq), at local_bh_enable in a thread, or in ksoftirqd.
/// On 4.15 and 6.1, while ksoftirqd is runnable nothing runs at irq exit or bh enable
/// ("softirq: Let ksoftirqd do its job"): all pending work waits for ksoftirqd's turn.</para>
/// <para>__do_softirq (§1.4): each pass clears the pending bits and runs every vector that
/// was pending, lowest number first. It restarts while work is pending, the jiffy it
/// started in plus MAX_SOFTIRQ_TIME has not passed, need_resched is clear and fewer than
/// MAX_SOFTIRQ_RESTART passes ran; otherwise it wakes ksoftirqd.</para>
/// </remarks>
public sealed class Softirq
{
    private static readonly SoftirqVector[] Order = [SoftirqVector.Timer, SoftirqVector.NetRx, SoftirqVector.Block, SoftirqVector.Sched, SoftirqVector.Rcu];
    private readonly KernelCpu _cpu;
    private readonly SectionRunner _inline;
    private readonly List<Action> _expired = new();
    private readonly Kbp.Sim.Tracing.ITraceSink _trace;
    private readonly bool _tracing;

    internal Softirq(KernelCpu cpu)
    {
        _cpu = cpu;
        _inline = new SectionRunner(cpu, "softirq", CpuClass.Softirq);
        _trace = cpu.Kernel.Sim.Trace;
        _tracing = _trace.IsEnabled;
    }

    /// <summary>The trace context of a vector's run, e.g. "softirq:NET_RX".</summary>
    public static string TraceContext(SoftirqVector vector) => vector switch
    {
        SoftirqVector.Timer => "softirq:TIMER",
        SoftirqVector.NetRx => "softirq:NET_RX",
        SoftirqVector.Block => "softirq:BLOCK",
        SoftirqVector.Sched => "softirq:SCHED",
        _ => "softirq:RCU",
    };

    /// <summary>local_softirq_pending() as a bit mask over <see cref="SoftirqVector"/> numbers.</summary>
    public int Pending { get; private set; }

    /// <summary>True while __do_softirq runs at irq exit on this CPU.</summary>
    public bool InlineActive { get; private set; }

    /// <summary>Nominal CPU time spent in vectors other than NET_RX, ns (competition for NET_RX).</summary>
    public long OtherVectorsNs { get; private set; }

    /// <summary>__do_softirq invocations that ended by waking ksoftirqd with work left.</summary>
    public long DeferralsToKsoftirqd { get; private set; }

    /// <summary>True when <paramref name="vector"/> is pending.</summary>
    public bool IsPending(SoftirqVector vector) => (Pending & (1 << (int)vector)) != 0;

    /// <summary>__raise_softirq_irqoff: sets the bit only (hardIRQ or softIRQ context).</summary>
    public void RaiseIrqOff(SoftirqVector vector) => Pending |= 1 << (int)vector;


    /// <summary>invoke_softirq() at irq exit.</summary>
    internal void OnIrqExit()
    {
        if (Pending == 0 || _cpu.InInterrupt)
        {
            return;
        }

        if (DeferredToKsoftirqd())
        {
            TraceInstant("softirq:left-to-ksoftirqd", "ksoftirqd is runnable: pending softIRQs wait for it");
            return;
        }

        InlineActive = true;
        DoSoftirq(_inline, () =>
        {
            InlineActive = false;
            _cpu.OnInterruptContextLeft();
        });
    }

    /// <summary>
    /// local_bh_enable() in a thread (do_softirq): runs pending softirqs in
    /// <paramref name="bhContext"/> unless deferred to ksoftirqd, then <paramref name="next"/>.
    /// </summary>
    public void LocalBhEnable(IExecutionContext bhContext, Action next)
    {
        if (Pending == 0 || DeferredToKsoftirqd())
        {
            next();
            return;
        }

        DoSoftirq(bhContext, next);
    }

    /// <summary>ksoftirqd_running(): on 4.15/6.1, pending work is left to a runnable ksoftirqd.</summary>
    private bool DeferredToKsoftirqd() =>
        _cpu.Kernel.Options.DefersToRunnableKsoftirqd && _cpu.Ksoftirqd.State != TaskState.Sleeping;

    /// <summary>__do_softirq() / handle_softirqs() in <paramref name="context"/>, then <paramref name="done"/>.</summary>
    internal void DoSoftirq(IExecutionContext context, Action done)
    {
        long endJiffy = _cpu.Kernel.Jiffies + _cpu.Kernel.Options.SoftirqMaxJiffies;
        int restartsLeft = _cpu.Kernel.Options.SoftirqMaxRestart;
        void Pass()
        {
            int snapshot = Pending;
            Pending = 0;
            context.Execute(_cpu.Kernel.Costs.SoftirqEntryNs, () => RunVectors(context, snapshot, 0, AfterPass));
        }

        void AfterPass()
        {
            if (Pending == 0)
            {
                done();
                return;
            }

            if (_cpu.Kernel.Jiffies < endJiffy && !_cpu.RunQueue.NeedResched && --restartsLeft > 0)
            {
                Pass();
                return;
            }

            DeferralsToKsoftirqd++;
            if (_tracing)
            {
                TraceInstant(
                    "softirq:deferred",
                    restartsLeft <= 0 ? "restart limit (MAX_SOFTIRQ_RESTART)" : _cpu.RunQueue.NeedResched ? "need_resched" : "time limit (MAX_SOFTIRQ_TIME)");
            }

            _cpu.Ksoftirqd.Wake();
            done();
        }

        Pass();
    }

    private void RunVectors(IExecutionContext context, int snapshot, int index, Action afterPass)
    {
        while (index < Order.Length && (snapshot & (1 << (int)Order[index])) == 0)
        {
            index++;
        }

        if (index == Order.Length)
        {
            afterPass();
            return;
        }

        int next = index + 1;
        Action continueWith = () => RunVectors(context, snapshot, next, afterPass);
        if (_tracing)
        {
            string vectorContext = TraceContext(Order[index]);
            Processing.Processor p = _cpu.Processor;
            _trace.Write(new Kbp.Sim.Tracing.TraceEvent(_cpu.Kernel.Sim.NowNs, Kbp.Sim.Tracing.TraceKind.Begin, p.Name, p.Cpu, vectorContext));
            Action traced = continueWith;
            continueWith = () =>
            {
                _trace.Write(new Kbp.Sim.Tracing.TraceEvent(_cpu.Kernel.Sim.NowNs, Kbp.Sim.Tracing.TraceKind.End, p.Name, p.Cpu, vectorContext));
                traced();
            };
        }

        KernelCosts costs = _cpu.Kernel.Costs;
        switch (Order[index])
        {
            case SoftirqVector.NetRx:
                _cpu.NetRxAction.Run(context, continueWith);
                break;
            case SoftirqVector.Timer:
                RunTimers(context, continueWith);
                break;
            case SoftirqVector.Block:
                OtherVectorsNs += costs.BlockSoftirqNs;
                context.Execute(costs.BlockSoftirqNs, continueWith);
                break;
            case SoftirqVector.Sched:
                OtherVectorsNs += costs.SchedSoftirqNs;
                context.Execute(costs.SchedSoftirqNs, continueWith);
                break;
            default:
                OtherVectorsNs += costs.RcuSoftirqNs;
                context.Execute(costs.RcuSoftirqNs, continueWith);
                break;
        }
    }

    private void TraceInstant(string context, string cause)
    {
        if (_tracing)
        {
            _trace.Write(new Kbp.Sim.Tracing.TraceEvent(_cpu.Kernel.Sim.NowNs, Kbp.Sim.Tracing.TraceKind.Instant, _cpu.Processor.Name, _cpu.Processor.Cpu, context, Cause: cause));
        }
    }

    /// <summary>run_timer_softirq(): the expired timers' callbacks, after the handler's cost.</summary>
    private void RunTimers(IExecutionContext context, Action next)
    {
        OtherVectorsNs += _cpu.Kernel.Costs.TimerSoftirqNs;
        context.Execute(_cpu.Kernel.Costs.TimerSoftirqNs, () =>
        {
            _expired.Clear();
            _cpu.Timers.TakeExpired(_cpu.Kernel.Jiffies, _expired);
            foreach (Action callback in _expired)
            {
                callback();
            }

            next();
        });
    }
}
