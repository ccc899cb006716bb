using Kbp.Sim.Events;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Virtualization;

/// <summary>
/// A KVM vCPU: a host user thread (QEMU's vCPU thread) whose running is what lets the
/// guest CPU run. Its work item gates the guest CPU's processor (the engine's nested
/// processor), so while the thread is preempted or descheduled on the host, the guest's
/// softIRQs, ksoftirqd and application stall with it (kernel-mechanics §4.3, §10.1-4).
/// When the guest has nothing to do it halts (HLT exit) and the thread sleeps until KVM
/// wakes it for an interrupt (kvm_vcpu_wake_up). Halt polling is not modelled.
/// </summary>
public sealed class VcpuThread : KThread
{
    private readonly Action _run;
    private readonly EventCallback _checkHalt;
    private KernelCpu? _guest;
    private bool _haltCheckScheduled;
    private long _haltedSinceNs = -1;
    private int _pendingInterrupts;

    /// <summary>Creates the vCPU thread of guest CPU <paramref name="index"/> on host CPU <paramref name="hostCpu"/>.</summary>
    public VcpuThread(KernelCpu hostCpu, int index, SchedPolicy policy, int priority)
        : base(hostCpu, $"CPU {index}/KVM", policy, priority, userMode: true)
    {
        _run = Run;
        _checkHalt = _ => { _haltCheckScheduled = false; HaltIfIdle(); };
    }

    /// <summary>The guest CPU this thread runs; set once the guest kernel exists.</summary>
    public KernelCpu Guest => _guest ?? throw new InvalidOperationException($"{Name} has no guest CPU yet");

    /// <summary>Total time halted, ns.</summary>
    public long HaltedNs { get; private set; }

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

    /// <summary>kvm_vcpu_wake_up: a halted vCPU becomes runnable.</summary>
    public void Kick()
    {
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

    /// <inheritdoc/>
    protected override void Run()
    {
        if (!GuestHasWork())
        {
            _haltedSinceNs = Cpu.Kernel.Sim.NowNs;
            Sleep();
            return;
        }

        // Not halted after all (a wakeup came before the thread slept).
        _haltedSinceNs = -1;

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

    private void HaltIfIdle()
    {
        if (State == TaskState.Running && Item.State == WorkState.Running && !GuestHasWork())
        {
            StopSpinning();
            _haltedSinceNs = Cpu.Kernel.Sim.NowNs;
            Sleep();
        }
    }
}
