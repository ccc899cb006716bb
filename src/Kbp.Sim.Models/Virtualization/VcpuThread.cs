using Kbp.Sim.Events;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Virtualization;

/// <summary>
/// A KVM vCPU: a host user thread (QEMU's vCPU thread) whose running is what lets the
/// guest CPU run. Its work item gates the guest CPU's processor (the engine's nested
/// processor), so while the thread is preempted or descheduled on the host, the guest's
/// softIRQs, ksoftirqd and application stall with it (kernel-mechanics §4.3, §10.1-4).
/// When the guest has nothing to do it halts (HLT exit): the thread first halt-polls on
/// its host CPU for its adaptive window (<see cref="HaltPolling"/>), then sleeps until KVM
/// wakes it for an interrupt (kvm_vcpu_halt → kvm_vcpu_block, kvm_vcpu_wake_up).
/// </summary>
public sealed class VcpuThread : KThread
{
    private readonly Action _run;
    private readonly EventCallback _checkHalt;
    private readonly EventCallback _pollExpired;
    private readonly EventCallback _otherTaskRunnable;
    private readonly HaltPolling _haltPolling;
    private KernelCpu? _guest;
    private bool _haltCheckScheduled;
    private bool _otherTaskCheckScheduled;
    private long _haltedSinceNs = -1;
    private long _haltStartNs = -1;
    private long _pollWindowNs;
    private bool _polling;
    private EventHandle _pollEnd;
    private int _pendingInterrupts;

    /// <summary>Creates the vCPU thread of guest CPU <paramref name="index"/> on host CPU <paramref name="hostCpu"/>.</summary>
    /// <param name="hostCpu">The host CPU the thread is pinned to.</param>
    /// <param name="index">The guest CPU number.</param>
    /// <param name="policy">The thread's scheduling policy.</param>
    /// <param name="priority">Its RT priority (fifo, rr).</param>
    /// <param name="haltPolling">KVM's halt polling on this host.</param>
    public VcpuThread(KernelCpu hostCpu, int index, SchedPolicy policy, int priority, HaltPolling haltPolling)
        : base(hostCpu, $"CPU {index}/KVM", policy, priority, userMode: true)
    {
        ArgumentNullException.ThrowIfNull(haltPolling);
        _haltPolling = haltPolling;
        _run = Run;
        _checkHalt = _ => { _haltCheckScheduled = false; HaltIfIdle(); };
        _pollExpired = _ => EndPollWithoutWakeup();
        _otherTaskRunnable = _ => { _otherTaskCheckScheduled = false; EndPollWithoutWakeup(); };
    }

    /// <summary>The guest CPU this thread runs; set once the guest kernel exists.</summary>
    public KernelCpu Guest => _guest ?? throw new InvalidOperationException($"{Name} has no guest CPU yet");

    /// <summary>Total time halted and asleep on the host, ns (halt polling excluded: the thread runs then).</summary>
    public long HaltedNs { get; private set; }

    /// <summary>Halts that started with a poll (kvm stat <c>halt_attempted_poll</c>).</summary>
    public long HaltPollsAttempted { get; private set; }

    /// <summary>Halts ended by a wakeup inside the poll window (kvm stat <c>halt_successful_poll</c>).</summary>
    public long HaltPollsSucceeded { get; private set; }

    /// <summary>The current halt-poll window (<c>vcpu->halt_poll_ns</c>), ns.</summary>
    public long HaltPollWindowNs => _pollWindowNs;

    /// <summary>Time the guest CPU could not run though it was not halted: preempted or waiting on the host, ns.</summary>
    public long StoppedNs(long nowNs) => nowNs - Item.RunTimeNs - HaltedNs - (_haltedSinceNs >= 0 ? nowNs - _haltedSinceNs : 0);

    /// <summary>Attaches the guest CPU and starts the thread.</summary>
    public void Attach(KernelCpu guest)
    {
        _guest = guest;
        guest.SetIdleListener(OnGuestIdle);
        guest.SetWakeListener(Kick);
        Wake();
    }

    /// <summary>
    /// Posts an interrupt whose guest handler <paramref name="raise"/> starts: taken at once
    /// by a running vCPU, at the next VM entry by a preempted one; a halted one is woken.
    /// Until the guest takes it, the vCPU does not halt.
    /// </summary>
    public void PostInterrupt(Action raise)
    {
        _pendingInterrupts++;
        Guest.Processor.ScheduleTimer(Cpu.Kernel.Sim.NowNs, _ =>
        {
            _pendingInterrupts--;
            raise();
        });
        Kick();
    }

    /// <summary>
    /// kvm_vcpu_wake_up: a halt-polling vCPU sees the event in its poll loop
    /// (kvm_vcpu_check_block) and goes back to the guest without leaving the CPU; a
    /// halted, sleeping one becomes runnable.
    /// </summary>
    public void Kick()
    {
        if (_polling)
        {
            _polling = false;
            Cpu.Kernel.Sim.Cancel(_pollEnd);
            HaltPollsSucceeded++;
            EndHalt();
            return;
        }

        if (State == TaskState.Sleeping)
        {
            if (_haltedSinceNs >= 0)
            {
                HaltedNs += Cpu.Kernel.Sim.NowNs - _haltedSinceNs;
                _haltedSinceNs = -1;
            }

            Wake();
        }
    }

    /// <summary>
    /// Another task became runnable here: kvm_vcpu_can_poll's single_task_running() turns
    /// false, so a polling vCPU stops polling and blocks, leaving the CPU to it.
    /// </summary>
    internal override void OnOtherTaskRunnable()
    {
        if (_polling && !_otherTaskCheckScheduled)
        {
            // After the wakeup in progress has finished its own bookkeeping.
            _otherTaskCheckScheduled = true;
            Cpu.Kernel.Sim.ScheduleAfter(0, _otherTaskRunnable);
        }
    }

    /// <inheritdoc/>
    protected override void Run()
    {
        if (_polling)
        {
            // Preempted inside the poll loop and back: the loop ends (kvm_vcpu_can_poll).
            _polling = false;
            Cpu.Kernel.Sim.Cancel(_pollEnd);
        }

        if (!GuestHasWork())
        {
            if (_haltStartNs < 0)
            {
                _haltStartNs = Cpu.Kernel.Sim.NowNs;
            }

            _haltedSinceNs = Cpu.Kernel.Sim.NowNs;
            Sleep();
            return;
        }

        // Not halted after all (a wakeup came before the thread slept), or back from a halt.
        _haltedSinceNs = -1;
        EndHalt();

        // VM entry: the guest runs until the host takes the CPU or the guest halts.
        Execute(WorkItem.Unbounded, _run);
    }

    private bool GuestHasWork() =>
        _guest is null || !_guest.IsIdle || _pendingInterrupts > 0;

    private void OnGuestIdle()
    {
        if (!_haltCheckScheduled)
        {
            _haltCheckScheduled = true;
            Cpu.Kernel.Sim.ScheduleAfter(0, _checkHalt);
        }
    }

    /// <summary>HLT exit: poll for the window when this is the only task here (kvm_vcpu_can_poll), else block.</summary>
    private void HaltIfIdle()
    {
        if (_polling || State != TaskState.Running || Item.State != WorkState.Running || GuestHasWork())
        {
            return;
        }

        _haltStartNs = Cpu.Kernel.Sim.NowNs;
        if (_pollWindowNs > 0 && Cpu.RunQueue.RunnableCount == 1 && !Cpu.RunQueue.NeedResched)
        {
            // The thread keeps its unbounded step: the host CPU spins for the guest.
            _polling = true;
            HaltPollsAttempted++;
            _pollEnd = Cpu.Kernel.Sim.ScheduleAfter(_pollWindowNs, _pollExpired);
            return;
        }

        Block();
    }

    /// <summary>The poll loop ended without a wakeup (window over, or another task runnable): kvm_vcpu_block.</summary>
    private void EndPollWithoutWakeup()
    {
        if (!_polling || State != TaskState.Running)
        {
            // A preempted poller ends its loop when it runs again (Run).
            return;
        }

        _polling = false;
        Cpu.Kernel.Sim.Cancel(_pollEnd);
        Block();
    }

    private void Block()
    {
        StopSpinning();
        _haltedSinceNs = Cpu.Kernel.Sim.NowNs;
        Sleep();
    }

    /// <summary>The halt is over: adapt the poll window to its length (kvm_vcpu_halt's grow/shrink).</summary>
    private void EndHalt()
    {
        if (_haltStartNs >= 0)
        {
            _pollWindowNs = _haltPolling.Adjust(_pollWindowNs, Cpu.Kernel.Sim.NowNs - _haltStartNs);
            _haltStartNs = -1;
        }
    }
}
