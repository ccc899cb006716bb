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

    /// <summary>Creates a napi for <paramref name="driver"/> whose IRQ lands on <paramref name="cpu"/>.</summary>
    public Napi(string name, KernelCpu cpu, INapiDriver driver, int weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        Name = name;
        Cpu = cpu;
        _driver = driver;
        Weight = weight;
    }

    /// <summary>Device name, e.g. "eth0".</summary>
    public string Name { get; }

    /// <summary>The CPU whose poll_list it joins (where its IRQ is handled).</summary>
    public KernelCpu Cpu { get; }

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
        Cpu.Kernel.NapiScheduler.Schedule(this);
    }

    /// <summary>
    /// One poll: up to min(weight, <paramref name="budget"/>) frames in <paramref name="context"/>;
    /// then <paramref name="done"/> with the work done. Below the weight the ring was
    /// drained: the napi completes and the device interrupt is re-armed.
    /// </summary>
    public void Poll(IExecutionContext context, int budget, Action<int> done)
    {
        int limit = Math.Min(Weight, budget);
        int work = 0;
        Polls++;
        void Step()
        {
            if (work < limit && _driver.TryReceive(out Packet? packet))
            {
                work++;
                Packets++;
                long costNs = _driver.ReceiveCostNs(packet);
                long startNs = Cpu.Kernel.Sim.NowNs;
                WaitSnapshot atStart = WaitMeter.Snapshot(context.Cpu);
                context.Execute(costNs, () =>
                {
                    WaitMeter.ChargeStretch(packet, startNs, costNs, atStart, context.Cpu, null);
                    _driver.Deliver(packet);
                    Step();
                });
                return;
            }

            if (work < Weight)
            {
                // napi_complete_done(): clear SCHED, re-arm; frames that arrived meanwhile
                // raise the interrupt again and the napi is rescheduled.
                IsScheduled = false;
                _driver.ReenableInterrupt();
            }

            done(work);
        }

        Step();
    }
}
