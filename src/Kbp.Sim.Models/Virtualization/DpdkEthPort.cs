using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Virtualization;

/// <summary>
/// A physical port under DPDK's poll-mode driver (netdev-dpdk type "dpdk"): the NIC's Rx
/// queue is read with rte_eth_rx_burst and its interrupt is never requested, so frames
/// wait in the ring until the PMD thread comes round; sends go straight onto the NIC's
/// Tx ring (rte_eth_tx_burst), where a full ring drops.
/// </summary>
public sealed class DpdkEthPort : IPmdPort
{
    private readonly Nic _nic;
    private readonly NicRxQueue _rx;
    private readonly PmdThread _poller;
    private readonly long _receiveCostNs;
    private readonly Queue<WaitSnapshot> _arrivals = new();

    /// <summary>Binds <paramref name="nic"/>'s first Rx queue to <paramref name="poller"/>.</summary>
    public DpdkEthPort(string name, Nic nic, PmdThread poller, OvsDpdkCosts costs)
    {
        ArgumentNullException.ThrowIfNull(nic);
        ArgumentNullException.ThrowIfNull(poller);
        Name = name;
        _nic = nic;
        _rx = nic.RxQueue;
        _poller = poller;
        _receiveCostNs = costs.PerPacketNs;
        _rx.ArrivalObserver = _ =>
        {
            _arrivals.Enqueue(WaitMeter.Snapshot(_poller.Cpu, _poller));
            _poller.OnFramesArrived();
        };
        poller.Poll(this);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool HasFrames => _rx.Count > 0;

    /// <inheritdoc/>
    public long ReceiveCostNs => _receiveCostNs;

    /// <inheritdoc/>
    public IPmdPort? Output { get; set; }

    /// <inheritdoc/>
    public bool TryReceive(out Packet packet)
    {
        if (!_rx.TryTake(out Packet? taken))
        {
            packet = null!;
            return false;
        }

        packet = taken;

        // The ring wait overlapped whatever kept the PMD off its core.
        WaitMeter.Reattribute(packet, WaitCause.RingQueueing, packet.WaitNs(WaitCause.RingQueueing), _arrivals.Dequeue(), _poller.Cpu, _poller);
        packet.Stamp(Probe.Rxh0, _poller.Cpu.Kernel.Sim.NowNs);
        return true;
    }

    /// <inheritdoc/>
    /// <remarks>The Tx descriptor writes are part of the per-frame datapath cost paid at receive.</remarks>
    public void Send(PmdThread pmd, IReadOnlyList<Packet> batch, Action next)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(next);
        long nowNs = _poller.Cpu.Kernel.Sim.NowNs;
        foreach (Packet packet in batch)
        {
            packet.Stamp(Probe.Txh1, nowNs);
            _nic.TryTransmit(packet);
        }

        next();
    }
}
