using Kbp.Sim.Models.Packets;
using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Kernel;

/// <summary>Where a thread stands with its CPU's scheduler.</summary>
public enum TaskState
{
    /// <summary>TASK_INTERRUPTIBLE: blocked until woken.</summary>
    Sleeping,

    /// <summary>TASK_RUNNING, on the run queue, waiting for the CPU.</summary>
    Runnable,

    /// <summary>TASK_RUNNING and current on its CPU.</summary>
    Running,
}

/// <summary>
/// A thread bound to one CPU (the model pins every thread, as the paper's testbeds do with
/// taskset and isolcpus). Its body is written as steps: <see cref="Execute"/> work,
/// <see cref="ExecuteBhDisabled"/> work that bottom halves must not interrupt,
/// <see cref="CondResched"/> at voluntary preemption points, <see cref="Sleep"/> to block.
/// </summary>
/// <remarks>
/// Preemption follows a voluntary-preempt (!PREEMPT) kernel, as both distro kernels are
/// (kernel-mechanics §6.3): a user-mode thread (an application, a vCPU thread in guest
/// mode) can be switched out whenever the scheduler asks; a kernel thread only at its
/// cond_resched() points or when it sleeps. A bottom-half-disabled section is never
/// preempted by a thread.
/// </remarks>
public abstract class KThread
{
    private readonly WorkItem _item;
    private readonly SectionRunner _bhRunner;
    private Action? _next;
    private Action? _resume;
    private bool _started;
    private long _switchCostNs;
    private readonly Action _endPoll;
    private bool _polling;
    private long _pollTurnNs;
    private long _pollStartNs;
    private Action? _afterPoll;
    private readonly Action _afterStepFor;

    // The body as delegates made once: one made from the virtual Run at each switch-in
    // would be an allocation and a virtual-function lookup.
    private readonly Action _run;
    private readonly Action _firstRun;
    private Packet? _stepPacket;
    private IReadOnlyList<Packet>? _stepPackets;
    private long _stepStartNs;
    private long _stepServiceNs;
    private WaitSnapshot _stepAtStart;
    private Action? _stepNext;

    /// <summary>Creates a sleeping thread on <paramref name="cpu"/>; call <see cref="Wake"/> to start it.</summary>
    protected KThread(KernelCpu cpu, string name, SchedPolicy policy, int rtPriority, bool userMode)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        Cpu = cpu;
        Name = name;
        Policy = policy;
        RtPriority = policy == SchedPolicy.Fair ? 0 : rtPriority;
        UserMode = userMode;
        string label = "thread:" + name;
        _item = new WorkItem(label, policy == SchedPolicy.Fair ? CpuClass.Fair : CpuClass.RealTime, OnWorkCompleted);
        _bhRunner = new SectionRunner(cpu, label + " (bh off)", CpuClass.Softirq);
        _endPoll = EndPoll;
        _afterStepFor = AfterStepFor;
        _run = Run;
        _firstRun = FirstRun;
    }

    /// <summary>The thread's name (comm), e.g. "ksoftirqd/1".</summary>
    public string Name { get; }

    /// <summary>The CPU it is bound to.</summary>
    public KernelCpu Cpu { get; }

    /// <summary>Scheduling policy.</summary>
    public SchedPolicy Policy { get; }

    /// <summary>RT priority 1..99 (higher wins); 0 for fair threads.</summary>
    public int RtPriority { get; }

    /// <summary>True for user-mode threads, preemptible at any interrupt return.</summary>
    public bool UserMode { get; }

    /// <summary>Sleeping, runnable or running.</summary>
    public TaskState State { get; internal set; } = TaskState.Sleeping;

    /// <summary>True when the thread is a real-time thread.</summary>
    public bool IsRealTime => Policy != SchedPolicy.Fair;

    /// <summary>CFS virtual runtime (nice 0: equal to runtime), ns.</summary>
    public long VruntimeNs { get; internal set; }

    /// <summary>EEVDF virtual deadline: vruntime + base slice (update_deadline), ns.</summary>
    public long DeadlineNs { get; internal set; }

    /// <summary>Total time this thread was current on its CPU, ns (softIRQs it suffered included, as without IRQ_TIME_ACCOUNTING).</summary>
    public long SumExecNs { get; internal set; }

    /// <summary>Simulated time when the thread last became runnable; for wait attribution.</summary>
    public long RunnableSinceNs { get; internal set; }

    /// <summary>Total time spent runnable but not running, completed waits only, ns.</summary>
    public long WaitedNs { get; internal set; }

    /// <summary>Total time spent runnable but not running up to <paramref name="nowNs"/>.</summary>
    public long RunqueueWaitNs(long nowNs) => WaitedNs + (State == TaskState.Runnable ? nowNs - RunnableSinceNs : 0);

    /// <summary>The work item of its ordinary sections (the gate of a guest for a vCPU thread).</summary>
    public WorkItem Item => _item;

    /// <summary>True while inside a bottom-half-disabled section.</summary>
    public bool InBhSection => _bhRunner.IsBusy;

    /// <summary>
    /// True when the scheduler may switch this thread out now: a user thread outside a
    /// bottom-half-disabled section, or a kernel thread spinning at a preemption point.
    /// </summary>
    internal bool IsPreemptibleNow => !InBhSection && (UserMode || AtPreemptionPoint);

    /// <summary>Set by a kernel thread's body while it spins in a loop that calls cond_resched().</summary>
    protected internal bool AtPreemptionPoint { get; set; }

    /// <summary>try_to_wake_up: makes a sleeping thread runnable; no effect otherwise.</summary>
    public void Wake()
    {
        if (State == TaskState.Sleeping)
        {
            Cpu.RunQueue.Wake(this);
        }
    }

    /// <summary>
    /// Called on the current thread when another thread becomes runnable on its CPU
    /// (single_task_running() turns false); a spinning thread that polls only while it is
    /// alone on its CPU stops here.
    /// </summary>
    internal virtual void OnOtherTaskRunnable()
    {
    }

    /// <summary>The thread's body: called each time it gets the CPU with no step in progress.</summary>
    protected abstract void Run();

    /// <summary>Runs <paramref name="workNs"/> of preemptible work, then <paramref name="next"/>.</summary>
    protected void Execute(long workNs, Action next)
    {
        if (workNs == WorkItem.Unbounded && _switchCostNs > 0)
        {
            PaySwitchThenSpin(next);
            return;
        }

        _next = next;
        Cpu.Processor.Submit(_item, AddSwitchCost(workNs));
    }

    /// <summary>An unbounded spin cannot absorb the switch: pay it first.</summary>
    /// <remarks>Its own method, so that <see cref="Execute"/> allocates no closure on every call.</remarks>
    private void PaySwitchThenSpin(Action next)
    {
        long switchNs = _switchCostNs;
        _switchCostNs = 0;
        Execute(switchNs, () => Execute(WorkItem.Unbounded, next));
    }

    /// <summary>
    /// Runs <paramref name="workNs"/> of preemptible work on <paramref name="packet"/>'s
    /// behalf, then charges whatever stretched the step beyond its cost (a vCPU stop, a
    /// more urgent thread, IRQs; <see cref="WaitMeter.ChargeStretch"/>) to the packet, then
    /// calls <paramref name="next"/>.
    /// </summary>
    protected void ExecuteFor(Packet packet, long workNs, Action next)
    {
        BeginStepFor(workNs, next);
        _stepPacket = packet;
        Execute(workNs, _afterStepFor);
    }

    /// <summary>
    /// Runs <paramref name="workNs"/> of preemptible work on a whole batch's behalf (a
    /// poll-mode burst), charging what stretched the step to every frame of
    /// <paramref name="packets"/>, then calls <paramref name="next"/>.
    /// </summary>
    protected void ExecuteFor(IReadOnlyList<Packet> packets, long workNs, Action next)
    {
        BeginStepFor(workNs, next);
        _stepPackets = packets;
        Execute(workNs, _afterStepFor);
    }

    // A thread runs one step at a time, so a step's packet and its start live in fields
    // and the continuation is one cached delegate: no allocation per packet.
    private void BeginStepFor(long workNs, Action next)
    {
        _stepStartNs = Cpu.Kernel.Sim.NowNs;
        _stepServiceNs = workNs + _switchCostNs;
        _stepAtStart = WaitMeter.Snapshot(Cpu, this);
        _stepNext = next;
    }

    private void AfterStepFor()
    {
        Packet? packet = _stepPacket;
        IReadOnlyList<Packet>? packets = _stepPackets;
        Action next = _stepNext!;
        _stepPacket = null;
        _stepPackets = null;
        _stepNext = null;
        if (packet is not null)
        {
            WaitMeter.ChargeStretch(packet, _stepStartNs, _stepServiceNs, _stepAtStart, Cpu, this);
        }
        else
        {
            foreach (Packet p in packets!)
            {
                WaitMeter.ChargeStretch(p, _stepStartNs, _stepServiceNs, _stepAtStart, Cpu, this);
            }
        }

        next();
    }

    /// <summary>Runs work with bottom halves disabled (local_bh_disable): no thread preempts it.</summary>
    protected void ExecuteBhDisabled(long workNs, Action next) => _bhRunner.Execute(AddSwitchCost(workNs), next);

    /// <summary>The execution context of this thread's bottom-half-disabled sections.</summary>
    protected IExecutionContext BhContext => _bhRunner;

    /// <summary>Blocks (TASK_INTERRUPTIBLE then schedule()); <see cref="Run"/> is called again after the next wakeup.</summary>
    protected void Sleep()
    {
        if (_switchCostNs > 0)
        {
            // Switched in only to find nothing to do: the switch still costs its time, and
            // the body looks again afterwards (a wakeup may have come meanwhile).
            Execute(0, _run);
            return;
        }

        _resume = null;
        Cpu.RunQueue.Block(this);
    }

    /// <summary>cond_resched(): yields if a reschedule is pending, and continues with <paramref name="next"/> when it runs again.</summary>
    protected void CondResched(Action next)
    {
        if (Cpu.RunQueue.NeedResched && Cpu.RunQueue.Current == this)
        {
            _resume = next;
            Cpu.RunQueue.Yield(this);
        }
        else
        {
            next();
        }
    }

    /// <summary>
    /// Busy-polls an empty set of queues: the thread spins, one loop turn of
    /// <paramref name="loopTurnNs"/> after another, until <see cref="NoticeWork"/> says
    /// work arrived; it notices at the end of the turn in progress and continues with
    /// <paramref name="next"/>. The empty turns are not simulated one by one. A kernel
    /// thread's loop calls cond_resched(), so the spin is a preemption point.
    /// </summary>
    protected void BusyPoll(long loopTurnNs, Action next)
    {
        _polling = true;
        _pollTurnNs = Math.Max(1, loopTurnNs);
        _pollStartNs = Cpu.Kernel.Sim.NowNs;
        _afterPoll = next;
        AtPreemptionPoint = true;
        Execute(WorkItem.Unbounded, _endPoll);
    }

    /// <summary>
    /// Work arrived for a busy-polling thread: if it is spinning on its CPU now, it
    /// leaves the spin at the end of the current loop turn. A preempted poller finds the
    /// work when it runs again.
    /// </summary>
    protected void NoticeWork()
    {
        if (!_polling || _item.State == WorkState.Idle)
        {
            return;
        }

        long intoTurnNs = (Cpu.Kernel.Sim.NowNs - _pollStartNs) % _pollTurnNs;
        _polling = false;
        StopSpinning();
        Execute(_pollTurnNs - intoTurnNs, _endPoll);
    }

    /// <summary>The spin is over (work noticed, or the poller switched back in after a preemption): poll again.</summary>
    private void EndPoll()
    {
        Action next = _afterPoll!;
        _polling = false;
        _afterPoll = null;
        AtPreemptionPoint = false;
        next();
    }

    /// <summary>Stops an unbounded spin (a busy-poll loop) and returns the time it ran.</summary>
    protected void StopSpinning()
    {
        if (_item.State != WorkState.Idle)
        {
            Cpu.Processor.Withdraw(_item);
        }

        _next = null;
    }

    /// <summary>Called by the run queue when this thread becomes current.</summary>
    /// <remarks>The switch's cost is charged to the thread's first step after it, which saves an event per switch.</remarks>
    internal void SwitchIn(long contextSwitchNs)
    {
        Action resume = _resume ?? (_started ? _run : _firstRun);
        _resume = null;
        _switchCostNs = contextSwitchNs;
        resume();
    }

    private long AddSwitchCost(long workNs)
    {
        if (_switchCostNs == 0)
        {
            return workNs;
        }

        long total = workNs + _switchCostNs;
        _switchCostNs = 0;
        return total;
    }

    /// <summary>Called by the run queue to switch this thread out while it is preemptible.</summary>
    internal void SwitchOut()
    {
        if (_item.State != WorkState.Idle)
        {
            long remaining = Cpu.Processor.Withdraw(_item);
            Action next = _next!;
            _next = null;
            _resume = remaining == WorkItem.Unbounded ? next : () => Execute(remaining, next);
        }
    }

    private void FirstRun()
    {
        _started = true;
        Run();
    }

    private void OnWorkCompleted(WorkItem item)
    {
        Action next = _next!;
        _next = null;
        next();
    }
}
