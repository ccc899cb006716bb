using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// struct napi_struct (net/core/dev.c): a device queue that is polled rather than
/// interrupt-driven while busy. The IRQ handler calls <see cref="Schedule"/>
/// (napi_schedule: the SCHED bit then __napi_schedule); a poller calls <see cref="Poll"/>
/// with a budget; a poll that drains the ring completes the napi (napi_complete_done) and
/// re-arms the device interrupt.
/// </summary>
public sealed class Napi
{
    private readonly INapiDriver _driver;
    private readonly Action _afterFrame;
    private IExecutionContext? _context;
    private Action<int>? _done;
    private Packet? _packet;
    private WaitSnapshot _atStart;
    private long _costNs;
    private long _startNs;
    private int _limit;
    private int _work;

    /// <summary>Creates a napi for <paramref name="driver"/> whose IRQ lands on <paramref name="cpu"/>.</summary>
    /// <param name="name">Device name.</param>
    /// <param name="cpu">The CPU whose poll_list it joins.</param>
    /// <param name="driver">Its poll() side.</param>
    /// <param name="weight">Most frames per poll.</param>
    /// <param name="isBacklog">True for a CPU's backlog napi (softnet_data.backlog), scheduled by an inlined call.</param>
    public Napi(string name, KernelCpu cpu, INapiDriver driver, int weight, bool isBacklog = false)
    {
        IsBacklog = isBacklog;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        Name = name;
        Cpu = cpu;
        _driver = driver;
        Weight = weight;
        _afterFrame = AfterFrame;
    }

    /// <summary>Device name, e.g. "eth0".</summary>
    public string Name { get; }

    /// <summary>The CPU whose poll_list it joins (where its IRQ is handled).</summary>
    public KernelCpu Cpu { get; }

    /// <summary>
    /// True for a CPU's backlog napi: enqueue_to_backlog schedules it through the inline
    /// ____napi_schedule (4.15) or __napi_schedule_irqoff inlined into it (6.1), so a
    /// livepatch of __napi_schedule never sees it (kernel-module/README.md, coverage).
    /// </summary>
    public bool IsBacklog { get; }

    /// <summary>NAPI weight: most frames per poll.</summary>
    public int Weight { get; }

    /// <summary>NAPI_STATE_SCHED: scheduled and not yet completed.</summary>
    public bool IsScheduled { get; private set; }

    /// <summary>Polls run.</summary>
    public long Polls { get; private set; }

    /// <summary>Frames received through polls.</summary>
    public long Packets { get; private set; }

    /// <summary>napi_schedule() from the IRQ handler: if not already scheduled, __napi_schedule.</summary>
    public void Schedule()
    {
        if (IsScheduled)
        {
            return;
        }

        IsScheduled = true;
        // The backlog is scheduled by the inline ____napi_schedule (enqueue_to_backlog), so
        // neither a livepatch of __napi_schedule nor threaded NAPI ever sees it.
        (IsBacklog ? StockNapiScheduler.Instance : Cpu.Kernel.NapiScheduler).Schedule(this);
    }

    /// <summary>
    /// One poll: up to min(weight, <paramref name="budget"/>) frames in <paramref name="context"/>;
    /// then <paramref name="done"/> with the work done. Below that limit the ring was
    /// drained: the napi completes and the device interrupt is re-armed; at the limit it
    /// stays scheduled for its poller to requeue.
    /// </summary>
    public void Poll(IExecutionContext context, int budget, Action<int> done)
    {
        // A napi is polled by one poller at a time (its SCHED bit), so the poll's state
        // lives in fields and the per-frame continuation is one cached delegate.
        _context = context;
        _limit = Math.Min(Weight, budget);
        _work = 0;
        _done = done;
        Polls++;
        Step();
    }

    private void Step()
    {
        IExecutionContext context = _context!;
        if (_work < _limit && _driver.TryReceive(out Packet? packet))
        {
            _work++;
            Packets++;
            _packet = packet;
            _costNs = _driver.ReceiveCostNs(packet);
            _startNs = Cpu.Kernel.Sim.NowNs;
            _atStart = WaitMeter.Snapshot(context.Cpu);
            context.Execute(_costNs, _afterFrame);
            return;
        }

        _driver.EndPoll(_work);
        if (_work < _limit)
        {
            // The driver drained its ring within the budget it was given (ixgbe_poll,
            // virtnet_poll: work < budget), so napi_complete_done(): clear SCHED, re-arm;
            // frames that arrived meanwhile raise the interrupt again and reschedule it.
            IsScheduled = false;
            _driver.ReenableInterrupt();
        }

        Action<int> done = _done!;
        _context = null;
        _done = null;
        done(_work);
    }

    private void AfterFrame()
    {
        Packet packet = _packet!;
        _packet = null;
        WaitMeter.ChargeStretch(packet, _startNs, _costNs, _atStart, _context!.Cpu, null);
        _driver.Deliver(packet);
        Step();
    }
}
