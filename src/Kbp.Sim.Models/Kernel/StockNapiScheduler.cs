namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// Stock ____napi_schedule (net/core/dev.c, 4.15): list_add_tail on the CPU's poll_list
/// and __raise_softirq_irqoff(NET_RX_SOFTIRQ) — the bit only; it runs at this IRQ's exit,
/// or in ksoftirqd if that is runnable (kernel-mechanics §2.2, §1.6).
/// </summary>
public sealed class StockNapiScheduler : INapiScheduler
{
    /// <summary>The stock path (it has no state).</summary>
    public static StockNapiScheduler Instance { get; } = new();

    /// <inheritdoc/>
    public void Schedule(Napi napi)
    {
        napi.Cpu.NetRxAction.PollList.AddLast(napi);
        napi.Cpu.Softirq.RaiseIrqOff(SoftirqVector.NetRx);
    }
}
