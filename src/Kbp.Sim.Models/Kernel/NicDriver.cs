using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// The host NIC driver's receive side (ixgbe: ixgbe_msix_clean_rings → napi_schedule_irqoff;
/// ixgbe_poll cleans the Rx ring and re-arms the queue's interrupt when it drained the ring
/// within the budget; kernel-mechanics §2.2, §2.4, §5). Received frames go up the host
/// stack (bridge → tap in the VM topology) in the poller's context.
/// </summary>
public sealed class NicDriver : INapiDriver
{
    private readonly NicRxQueue _rx;
    private readonly KernelCpu _cpu;
    private readonly long _receiveCostNs;
    private readonly Action<Packet> _deliver;
    private readonly Func<long>? _deliverExtraNs;
    private readonly Queue<WaitSnapshot> _arrivals = new();

    /// <summary>Binds the Rx queue's interrupt to <paramref name="irqCpu"/> (smp_affinity).</summary>
    /// <param name="rx">The Rx queue.</param>
    /// <param name="irqCpu">CPU taking its interrupt.</param>
    /// <param name="receiveCostNs">Per frame: driver, GRO, IP/bridge and forward to the next device.</param>
    /// <param name="deliver">Where the frame goes after that cost.</param>
    /// <param name="deliverExtraNs">Extra cost of the delivery now, e.g. waking a sleeping consumer.</param>
    public NicDriver(NicRxQueue rx, KernelCpu irqCpu, long receiveCostNs, Action<Packet> deliver, Func<long>? deliverExtraNs = null)
    {
        _deliverExtraNs = deliverExtraNs;
        _rx = rx;
        _cpu = irqCpu;
        _receiveCostNs = receiveCostNs;
        _deliver = deliver;
        Napi = new Napi("eth0-rx-0", irqCpu, this, irqCpu.Kernel.Options.NapiWeight);
        rx.ArrivalObserver = _ => _arrivals.Enqueue(WaitMeter.Snapshot(_cpu));
        Action schedule = Napi.Schedule;
        rx.RequestIrq(() => _cpu.HardIrq.Raise("eth0-rx-0", _cpu.Kernel.Costs.HardIrqNs, schedule));
    }

    /// <summary>The queue's napi.</summary>
    public Napi Napi { get; }

    /// <inheritdoc/>
    public bool TryReceive(out Packet packet)
    {
        if (!_rx.TryTake(out Packet? taken))
        {
            packet = null!;
            return false;
        }

        packet = taken;

        // The NIC charged the ring wait as plain queueing; part of it overlapped the CPU's
        // softIRQs being deferred, stopped or busy elsewhere. (The Rx ring is the first
        // queue on a frame's path, so all its RingQueueing so far is this ring's.)
        WaitSnapshot atArrival = _arrivals.Dequeue();
        WaitMeter.Reattribute(packet, WaitCause.RingQueueing, packet.WaitNs(WaitCause.RingQueueing), atArrival, _cpu);
        packet.Stamp(Probe.Rxh0, _cpu.Kernel.Sim.NowNs);
        return true;
    }

    /// <inheritdoc/>
    public long ReceiveCostNs(Packet packet) => _receiveCostNs + (_deliverExtraNs?.Invoke() ?? 0);

    /// <inheritdoc/>
    public void Deliver(Packet packet)
    {
        packet.Stamp(Probe.Rxh1, _cpu.Kernel.Sim.NowNs);
        _deliver(packet);
    }

    /// <inheritdoc/>
    public void ReenableInterrupt() => _rx.EnableInterrupt();
}
