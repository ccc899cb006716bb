using Kbp.Sim.Events;
using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// One CPU's scheduler (kernel/sched/core.c + fair.c + rt.c, 4.15/6.1 CFS): real-time
/// threads by priority, then fair threads by smallest vruntime.
/// </summary>
/// <remarks>
/// <para>CFS as in kernel-mechanics §6.1: wakeup placement with GENTLE_FAIR_SLEEPERS credit
/// (vruntime = max(own, min_vruntime − latency/2)), wakeup preemption when the current
/// thread's vruntime leads the woken one's by more than wakeup_granularity, and tick-only
/// slice expiry (check_preempt_tick; HRTICK is off, so slices end on 4 ms ticks at HZ=250).
/// All fair threads are nice 0, so vruntime advances with wall time on the CPU; softIRQ
/// time is charged to the interrupted thread (no IRQ_TIME_ACCOUNTING).</para>
/// <para>RT: SCHED_FIFO by priority, first come first served within one; SCHED_RR is
/// treated as FIFO (its 100 ms slice never matters with one thread per priority). RT
/// throttling (sched_rt_runtime_exceeded) stops RT threads after rt_runtime in an
/// rt_period, checked at the tick, unless RT_RUNTIME_SHARE lets the CPU borrow (4.15).</para>
/// <para>A reschedule requested while the CPU is in interrupt context waits for the
/// interrupt to end (need_resched is honoured at irq return), which is also what stops
/// __do_softirq from restarting.</para>
/// </remarks>
public sealed partial class RunQueue
{
    private readonly KernelCpu _cpu;
    private readonly KernelOptions _options;
    private readonly List<KThread> _fair = new();
    private readonly List<KThread> _rt = new();
    private readonly EventCallback _deferredResched;
    private readonly EventCallback _rtPeriodTimer;
    private KThread? _current;
    private long _lastUpdateNs;
    private long _pickedAtNs;
    private long _rtRuntimeInPeriodNs;
    private long _rtPeriodStartNs;
    private bool _reschedScheduled;
    private KThread? _sliceProtected;

    internal RunQueue(KernelCpu cpu, KernelOptions options)
    {
        _cpu = cpu;
        _options = options;
        _deferredResched = _ => { _reschedScheduled = false; TryReschedule(); };

        // sched_rt_period_timer: at the end of the period the throttled RT threads run again,
        // even on a CPU that took no tick meanwhile (NO_HZ: a CPU whose only runnable
        // threads are throttled looks idle).
        _rtPeriodTimer = _ => { UpdateCurrent(); TryReschedule(); };
    }

    /// <summary>The thread currently on the CPU, or null when idle.</summary>
    public KThread? Current => _current;

    /// <summary>TIF_NEED_RESCHED: a switch is due at the next preemption point.</summary>
    public bool NeedResched { get; private set; }

    /// <summary>cfs_rq->min_vruntime.</summary>
    public long MinVruntimeNs { get; private set; }

    /// <summary>True while RT threads are throttled on this CPU.</summary>
    public bool RtThrottled { get; private set; }

    /// <summary>Runnable threads, current included.</summary>
    public int RunnableCount => _fair.Count + _rt.Count + (_current is null ? 0 : 1);

    /// <summary>The trace context of the instant RT threads are throttled on a CPU.</summary>
    public const string RtThrottledMark = "sched:rt-throttled";

    /// <summary>The trace context of the instant they may run again.</summary>
    public const string RtUnthrottledMark = "sched:rt-unthrottled";

    /// <summary>Times RT threads were throttled (sched_rt_runtime_exceeded).</summary>
    public long RtThrottleCount { get; private set; }

    /// <summary>Context switches performed.</summary>
    public long ContextSwitches { get; private set; }


    private long NowNs => _cpu.Kernel.Sim.NowNs;

    /// <summary>try_to_wake_up on this CPU.</summary>
    internal void Wake(KThread thread)
    {
        UpdateCurrent();
        thread.State = TaskState.Runnable;
        thread.RunnableSinceNs = NowNs;
        if (thread.IsRealTime)
        {
            _rt.Add(thread);
        }
        else if (_options.UsesEevdf)
        {
            PlaceEevdf(thread);
            _fair.Add(thread);
            FairServerEnqueued();
        }
        else
        {
            // place_entity(): a sleeper gets at most latency/2 of credit (GENTLE_FAIR_SLEEPERS).
            thread.VruntimeNs = Math.Max(thread.VruntimeNs, MinVruntimeNs - (_options.SchedLatencyNs / 2));
            _fair.Add(thread);
        }

        _cpu.OnThreadWoken();
        _current?.OnOtherTaskRunnable();
        if (_current is null || WakeupPreempts(thread, _current))
        {
            RequestResched();
        }
    }

    /// <summary>The current thread blocks: pick another.</summary>
    internal void Block(KThread thread)
    {
        if (!ReferenceEquals(thread, _current))
        {
            throw new InvalidOperationException($"{thread.Name} sleeps but is not current on cpu {_cpu.Id}");
        }

        UpdateCurrent();
        SaveLagEevdf(thread);
        thread.State = TaskState.Sleeping;
        _current = null;
        FairServerDequeued();
        Schedule();
    }

    /// <summary>The current thread yields at cond_resched() with a reschedule pending.</summary>
    internal void Yield(KThread thread)
    {
        UpdateCurrent();
        Requeue(thread);
        Schedule();
    }

    /// <summary>Sets need_resched, and switches at once when the CPU and the current thread allow it.</summary>
    internal void RequestResched()
    {
        NeedResched = true;
        TryReschedule();
    }

    /// <summary>Called when the CPU leaves interrupt context: honour a pending reschedule.</summary>
    internal void OnInterruptExit() => TryReschedule();

    /// <summary>scheduler_tick(): account, enforce RT bandwidth, check the slice.</summary>
    internal void Tick()
    {
        UpdateCurrent();
        if (_current is null)
        {
            return;
        }

        if (_current.IsRealTime)
        {
            if (RtThrottled)
            {
                RequestResched();
            }

            return;
        }

        if (_options.UsesEevdf)
        {
            // update_deadline() ran in UpdateCurrent; a consumed slice already asked for a
            // reschedule. Only RT work can preempt besides.
            if (_rt.Count > 0 && !RtThrottled && !FairServerBoosting)
            {
                RequestResched();
            }

            return;
        }

        // check_preempt_tick(): the slice is period * weight / total weight, all nice 0.
        int nr = _fair.Count + 1;
        long period = nr > _options.SchedNrLatency ? nr * _options.SchedMinGranularityNs : _options.SchedLatencyNs;
        long idealNs = period / nr;
        long deltaExecNs = NowNs - _pickedAtNs;
        if (deltaExecNs > idealNs)
        {
            RequestResched();
        }
        else if (deltaExecNs >= _options.SchedMinGranularityNs && _fair.Count > 0
            && _current.VruntimeNs - LeftmostFair()!.VruntimeNs > idealNs)
        {
            RequestResched();
        }
        else if (_rt.Count > 0 && !RtThrottled)
        {
            RequestResched();
        }
    }

    private bool WakeupPreempts(KThread woken, KThread current)
    {
        if (woken.IsRealTime)
        {
            return RtThrottled || FairServerBoosting ? false : !current.IsRealTime || woken.RtPriority > current.RtPriority;
        }

        if (current.IsRealTime)
        {
            return false;
        }

        if (_options.UsesEevdf)
        {
            // check_preempt_wakeup_fair(): preempt iff pick_eevdf() would pick the woken
            // thread; RUN_TO_PARITY keeps an eligible current until its slice is used up.
            bool protectedSlice = ReferenceEquals(_sliceProtected, current) && IsEligible(current);
            return !protectedSlice && ReferenceEquals(PickEevdf(includeCurrent: true), woken);
        }

        // wakeup_preempt_entity(): preempt when curr leads by more than the wakeup granularity.
        return current.VruntimeNs - woken.VruntimeNs > _options.SchedWakeupGranularityNs;
    }

    private void TryReschedule()
    {
        if (!NeedResched || _cpu.InInterrupt)
        {
            return;
        }

        if (_current is null)
        {
            Schedule();
            return;
        }

        if (!_current.IsPreemptibleNow)
        {
            return;
        }

        if (_current.Item.State == WorkState.Idle)
        {
            // The current thread is between two steps of its body: switch once it is back in a step.
            if (!_reschedScheduled)
            {
                _reschedScheduled = true;
                _cpu.Kernel.Sim.ScheduleAfter(0, _deferredResched);
            }

            return;
        }

        KThread current = _current;
        UpdateCurrent();
        current.SwitchOut();
        Requeue(current);
        Schedule();
    }

    /// <summary>The current thread goes back to the run queue, still runnable.</summary>
    private void Requeue(KThread thread)
    {
        _current = null;
        thread.State = TaskState.Runnable;
        thread.RunnableSinceNs = NowNs;
        (thread.IsRealTime ? _rt : _fair).Add(thread);
    }

    /// <summary>__schedule(): pick the next thread and switch to it.</summary>
    private void Schedule()
    {
        NeedResched = false;
        KThread? next = PickNext();
        if (next is null)
        {
            _cpu.OnIdle();
            return;
        }

        (next.IsRealTime ? _rt : _fair).Remove(next);
        next.WaitedNs += NowNs - next.RunnableSinceNs;
        next.State = TaskState.Running;
        _current = next;
        _sliceProtected = next.IsRealTime ? null : next;
        _lastUpdateNs = NowNs;
        _pickedAtNs = NowNs;
        ContextSwitches++;
        next.SwitchIn(_cpu.Kernel.Costs.ContextSwitchNs);
    }

    private KThread? PickNext()
    {
        if (!RtThrottled && _rt.Count > 0 && !(FairServerBoosting && _fair.Count > 0))
        {
            KThread best = _rt[0];
            for (int i = 1; i < _rt.Count; i++)
            {
                if (_rt[i].RtPriority > best.RtPriority)
                {
                    best = _rt[i];
                }
            }

            return best;
        }

        return _options.UsesEevdf ? PickEevdf(includeCurrent: false) : LeftmostFair();
    }

    private KThread? LeftmostFair()
    {
        KThread? best = null;
        foreach (KThread t in _fair)
        {
            if (best is null || t.VruntimeNs < best.VruntimeNs)
            {
                best = t;
            }
        }

        return best;
    }

    /// <summary>update_curr(): charge wall time to the current thread; RT bandwidth accounting.</summary>
    private void UpdateCurrent()
    {
        long now = NowNs;
        RollRtPeriod(now);
        if (_current is not null)
        {
            long delta = now - _lastUpdateNs;
            _current.SumExecNs += delta;
            if (_current.IsRealTime)
            {
                _rtRuntimeInPeriodNs += delta;
                if (!_options.RtRuntimeShare && _options.RtRuntimeNs >= 0 && _rtRuntimeInPeriodNs > _options.RtRuntimeNs && !RtThrottled)
                {
                    RtThrottled = true;
                    RtThrottleCount++;
                    _cpu.Kernel.Sim.Schedule(_rtPeriodStartNs + _options.RtPeriodNs, _rtPeriodTimer);
                    TraceMark(RtThrottledMark, "sched_rt_runtime_exceeded: RT threads used their runtime in this period");
                }
            }
            else
            {
                _current.VruntimeNs += delta;
                FairServerCharge(delta);
                if (_options.UsesEevdf && _current.VruntimeNs >= _current.DeadlineNs)
                {
                    // update_deadline(): the slice is used up; a new one, and the CPU is
                    // offered to the others (RUN_TO_PARITY's protection ends).
                    _current.DeadlineNs = _current.VruntimeNs + _options.SchedBaseSliceNs;
                    _sliceProtected = null;
                    if (_fair.Count > 0)
                    {
                        NeedResched = true;
                    }
                }
            }
        }

        _lastUpdateNs = now;
        long min = _current is { IsRealTime: false } ? _current.VruntimeNs : long.MaxValue;
        KThread? left = LeftmostFair();
        if (left is not null)
        {
            min = Math.Min(min, left.VruntimeNs);
        }

        if (min != long.MaxValue)
        {
            MinVruntimeNs = Math.Max(MinVruntimeNs, min);
        }
    }
}
