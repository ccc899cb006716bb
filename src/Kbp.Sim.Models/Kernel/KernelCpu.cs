using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// One CPU of a kernel instance: its processor (hardIRQ &gt; softIRQ &gt; RT &gt; fair), and the
/// per-CPU kernel state the packet path touches: softIRQ bits and ksoftirqd, the run
/// queue, the NAPI poll_list (struct softnet_data) and the timer wheel.
/// </summary>
public sealed class KernelCpu
{
    private Action? _idleListener;
    private Action? _wakeListener;

    internal KernelCpu(Kernel kernel, int id, Processor processor)
    {
        Kernel = kernel;
        Id = id;
        Processor = processor;
        HardIrq = new HardIrq(this);
        Softirq = new Softirq(this);
        RunQueue = new RunQueue(this, kernel.Options);
        Timers = new TimerWheel();
        NetRxAction = new NetRxAction(this);
        Ksoftirqd = new Ksoftirqd(this);
        Backlog = new Backlog(this);
    }

    /// <summary>The kernel instance.</summary>
    public Kernel Kernel { get; }

    /// <summary>CPU number within its kernel.</summary>
    public int Id { get; }

    /// <summary>The CPU's processor.</summary>
    public Processor Processor { get; }

    /// <summary>hardIRQ dispatch.</summary>
    public HardIrq HardIrq { get; }

    /// <summary>softIRQ state.</summary>
    public Softirq Softirq { get; }

    /// <summary>ksoftirqd/N.</summary>
    public Ksoftirqd Ksoftirqd { get; }

    /// <summary>The scheduler.</summary>
    public RunQueue RunQueue { get; }

    /// <summary>The timer wheel.</summary>
    public TimerWheel Timers { get; }

    /// <summary>net_rx_action and this CPU's poll_list.</summary>
    public NetRxAction NetRxAction { get; }

    /// <summary>The CPU's backlog for netif_rx (softnet_data.input_pkt_queue).</summary>
    public Backlog Backlog { get; }

    /// <summary>
    /// in_interrupt(): in a hardIRQ, in softIRQ processing at irq exit, or in a thread's
    /// bottom-half-disabled section (ksoftirqd, KBP).
    /// </summary>
    public bool InInterrupt => HardIrq.Active || Softirq.InlineActive || (RunQueue.Current?.InBhSection ?? false);

    /// <summary>True when nothing runs and nothing waits on this CPU.</summary>
    public bool IsIdle => !HardIrq.Active && !Softirq.InlineActive && RunQueue.Current is null
        && Processor.Current is null && Processor.HighestReadyClass < 0 && Softirq.Pending == 0;

    /// <summary>
    /// How this CPU's local timer interrupt (tick, hrtimers) reaches it: at once on a host;
    /// through KVM on a guest (held while the vCPU is off its host CPU, waking it when
    /// halted). The argument raises the hardIRQ.
    /// </summary>
    public Action<Action> DeliverTimerInterrupt { get; set; } = raise => raise();

    /// <summary>
    /// For a guest CPU: the time its vCPU thread was off its host CPU though not halted, up
    /// to a given time; null on a host.
    /// </summary>
    public Func<long, long>? HostStoppedNs { get; set; }

    /// <summary>Called once each time the CPU goes idle (a vCPU thread halts on it).</summary>
    public void SetIdleListener(Action listener) => _idleListener = listener;

    /// <summary>
    /// Called when a thread is woken on this CPU: for a guest CPU, the reschedule IPI that
    /// makes KVM kick a halted vCPU.
    /// </summary>
    public void SetWakeListener(Action listener) => _wakeListener = listener;

    /// <summary>A thread became runnable here.</summary>
    internal void OnThreadWoken() => _wakeListener?.Invoke();

    /// <summary>irq_exit(): softIRQs, then a pending reschedule.</summary>
    internal void OnIrqExit()
    {
        Softirq.OnIrqExit();
        if (!Softirq.InlineActive)
        {
            OnInterruptContextLeft();
        }
    }

    /// <summary>The CPU is back in thread context.</summary>
    internal void OnInterruptContextLeft()
    {
        RunQueue.OnInterruptExit();
        if (IsIdle)
        {
            _idleListener?.Invoke();
        }
    }

    /// <summary>The scheduler found nothing to run.</summary>
    internal void OnIdle()
    {
        if (IsIdle)
        {
            _idleListener?.Invoke();
        }
    }
}
