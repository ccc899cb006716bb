using Kbp.Sim.Tracing;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// hardIRQ handling on one CPU: interrupts raised while one is handled wait (IRQs are off
/// in a handler) and run back to back; after the last one, irq_exit() decides whether
/// pending softIRQs run now (__irq_exit_rcu → invoke_softirq, kernel/softirq.c).
/// </summary>
public sealed class HardIrq
{
    private readonly KernelCpu _cpu;
    private readonly SectionRunner _runner;
    private readonly Queue<(string Name, long CostNs, Action Handler)> _pending = new();
    private readonly Action _onHandled;
    private readonly ITraceSink _trace;
    private readonly bool _tracing;
    private Action? _handler;

    internal HardIrq(KernelCpu cpu)
    {
        _cpu = cpu;
        _trace = cpu.Kernel.Sim.Trace;
        _tracing = _trace.IsEnabled;
        _runner = new SectionRunner(cpu, "hardirq", CpuClass.HardIrq);
        _onHandled = OnHandled;
    }

    /// <summary>True while a handler runs (in_irq()).</summary>
    public bool Active { get; private set; }

    /// <summary>Interrupts handled on this CPU.</summary>
    public long Count { get; private set; }

    /// <summary>
    /// An interrupt arrives: <paramref name="handler"/> runs after <paramref name="costNs"/>
    /// of handler time (entry and exit included).
    /// </summary>
    public void Raise(string name, long costNs, Action handler)
    {
        _pending.Enqueue((name, costNs, handler));
        if (!Active)
        {
            Active = true;
            RunNext();
        }
    }

    private void RunNext()
    {
        (string name, long costNs, Action handler) = _pending.Dequeue();
        _handler = handler;
        Count++;
        if (_tracing)
        {
            // Names the hardIRQ section that starts now (its work item is shared by all lines).
            _trace.Write(new TraceEvent(_cpu.Kernel.Sim.NowNs, TraceKind.Instant, _cpu.Processor.Name, _cpu.Processor.Cpu, "irq:" + name));
        }

        _runner.Execute(costNs, _onHandled);
    }

    private void OnHandled()
    {
        Action handler = _handler!;
        _handler = null;
        handler();
        if (_pending.Count > 0)
        {
            RunNext();
            return;
        }

        Active = false;
        _cpu.OnIrqExit();
    }
}
