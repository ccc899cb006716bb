using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Virtualization;

/// <summary>
/// A vhost-user port (netdev-dpdk type "dpdkvhostuser", DPDK lib/vhost): the guest's
/// virtqueues shared with OvS. Receiving dequeues what the guest transmitted
/// (rte_vhost_dequeue_burst; guest notifications are off, the PMD polls). Sending copies
/// into free buffers of the guest's Rx ring (rte_vhost_enqueue_burst) and, when the guest
/// asked for an interrupt, calls it (vhost_vring_call: eventfd write → KVM irqfd). A full
/// Rx ring drops at once: __netdev_dpdk_vhost_send retries only while the guest makes
/// room, and no queue stands in front of the guest as the tap queue does for vhost-net.
/// </summary>
public sealed class VhostUserPort : IPmdPort, IVirtioTxBackend
{
    private readonly VirtioNetRx _guestRx;
    private readonly VirtioNetTx _guestTx;
    private readonly PmdThread _poller;
    private readonly OvsDpdkCosts _costs;

    /// <summary>Attaches to the guest's queues and assigns the port's receive queue to <paramref name="poller"/>.</summary>
    public VhostUserPort(string name, VirtioNetRx guestRx, VirtioNetTx guestTx, PmdThread poller, OvsDpdkCosts costs)
    {
        ArgumentNullException.ThrowIfNull(guestRx);
        ArgumentNullException.ThrowIfNull(guestTx);
        ArgumentNullException.ThrowIfNull(poller);
        Name = name;
        _guestRx = guestRx;
        _guestTx = guestTx;
        _poller = poller;
        _costs = costs;
        guestTx.Consumer = this;
        guestTx.DisableKicksForPolling();
        poller.Poll(this);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool HasFrames => _guestTx.Count > 0;

    /// <inheritdoc/>
    public long ReceiveCostNs => _costs.VhostUserPerPacketNs + _costs.PerPacketNs;

    /// <inheritdoc/>
    public IPmdPort? Output { get; set; }

    /// <inheritdoc/>
    public KThread Worker => _poller;

    /// <inheritdoc/>
    public WaitCause QueueingCause => WaitCause.RingQueueing;

    /// <summary>Called with each frame dropped at the guest's full Rx ring.</summary>
    public Action<Packet, DropReason>? OnDrop { get; set; }

    /// <summary>Frames dropped because the guest had no free Rx buffer.</summary>
    public long Drops { get; private set; }

    /// <summary>Interrupts requested from the guest (vhost_vring_call).</summary>
    public long Calls { get; private set; }

    /// <inheritdoc/>
    public void NotifyTx() => _poller.OnFramesArrived();

    /// <inheritdoc/>
    public bool TryReceive(out Packet packet)
    {
        if (!_guestTx.TryTake(out packet))
        {
            return false;
        }

        packet.Stamp(Probe.Txh0, _poller.Cpu.Kernel.Sim.NowNs);
        return true;
    }

    /// <inheritdoc/>
    public void Send(PmdThread pmd, IReadOnlyList<Packet> batch, Action next)
    {
        ArgumentNullException.ThrowIfNull(pmd);
        ArgumentNullException.ThrowIfNull(batch);
        long nowNs = _poller.Cpu.Kernel.Sim.NowNs;
        foreach (Packet packet in batch)
        {
            packet.Stamp(Probe.Rxh1, nowNs);
        }

        pmd.Spend(batch, batch.Count * _costs.VhostUserPerPacketNs, () =>
        {
            bool added = false;
            foreach (Packet packet in batch)
            {
                if (_guestRx.TryAddUsed(packet))
                {
                    added = true;
                }
                else
                {
                    Drops++;
                    OnDrop?.Invoke(packet, DropReason.Virtqueue);
                }
            }

            if (added && _guestRx.CallbacksEnabled)
            {
                pmd.Spend(batch, _costs.CallNs, () =>
                {
                    Calls++;
                    _guestRx.SignalGuest();
                    next();
                });
                return;
            }

            next();
        });
    }
}
