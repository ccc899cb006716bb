using Kbp.Sim.Events;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// The local timer tick of one CPU at HZ (tick_sched_timer → update_process_times,
/// kernel/time/timer.c): a hardIRQ that runs scheduler_tick (slice expiry, RT bandwidth)
/// and raises TIMER_SOFTIRQ when a timer-wheel timer is due, RCU_SOFTIRQ when RCU has
/// work, and SCHED_SOFTIRQ when load balancing is due (kernel-mechanics §1.8). With
/// NO_HZ_IDLE an idle CPU takes no tick unless a timer is due.
/// </summary>
/// <remarks>
/// The tick's clock is the machine's (an hrtimer on the host; for a guest, KVM's LAPIC
/// timer on the host), so the tick never drifts; the interrupt reaches the CPU through
/// <see cref="KernelCpu.DeliverTimerInterrupt"/>.
/// </remarks>
public sealed class TimerTick
{
    private readonly KernelCpu _cpu;
    private readonly EventCallback _onTick;
    private readonly Action _onHandled;
    private readonly Action _raise;
    private readonly long _rcuEveryTicks;
    private readonly long _schedEveryTicks;
    private long _ticks;

    /// <summary>Starts ticking on <paramref name="cpu"/>.</summary>
    public TimerTick(KernelCpu cpu)
    {
        _cpu = cpu;
        KernelOptions options = cpu.Kernel.Options;
        _rcuEveryTicks = Math.Max(1, options.RcuSoftirqIntervalNs / options.TickNs);
        _schedEveryTicks = Math.Max(1, options.SchedSoftirqIntervalNs / options.TickNs);
        _onTick = OnTick;
        _onHandled = OnHandled;
        _raise = () => _cpu.HardIrq.Raise("timer", _cpu.Kernel.Costs.TickNs, _onHandled);

        // All CPUs tick together, when jiffies advances: tick_sched timers are aligned
        // unless the skew_tick=1 boot option is given (kernel/time/tick-sched.c,
        // tick_sched_timer setup); the default is 0.
        cpu.Kernel.Sim.Schedule(cpu.Kernel.JiffyStartNs(cpu.Kernel.Jiffies + 1), _onTick);
    }

    /// <summary>Ticks taken.</summary>
    public long Count { get; private set; }

    private void OnTick(long unused)
    {
        _cpu.Kernel.Sim.ScheduleAfter(_cpu.Kernel.Options.TickNs, _onTick);
        _ticks++;
        if (_cpu.IsIdle && !_cpu.Timers.HasExpired(_cpu.Kernel.Jiffies))
        {
            return;
        }

        Count++;
        _cpu.DeliverTimerInterrupt(_raise);
    }

    private void OnHandled()
    {
        if (_cpu.Timers.HasExpired(_cpu.Kernel.Jiffies))
        {
            _cpu.Softirq.RaiseIrqOff(SoftirqVector.Timer);
        }

        if (_ticks % _rcuEveryTicks == 0)
        {
            _cpu.Softirq.RaiseIrqOff(SoftirqVector.Rcu);
        }

        if (_ticks % _schedEveryTicks == 0)
        {
            _cpu.Softirq.RaiseIrqOff(SoftirqVector.Sched);
        }

        _cpu.RunQueue.Tick();
    }
}
