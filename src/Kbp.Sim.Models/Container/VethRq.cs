using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Container;

/// <summary>
/// A veth receive queue with its own NAPI (struct veth_rq, drivers/net/veth.c, 5.x–6.x;
/// kernel-mechanics §3.2): once GRO (or XDP) is on for the receiving device, veth_xmit on
/// the peer puts a frame that veth_skb_is_eligible_for_gro() accepts on the queue's
/// xdp_ring (veth_forward_skb → veth_xdp_rx: ptr_ring_produce, dropped when the ring is
/// full) and calls __veth_xdp_flush: unless rx_notify_masked, napi_schedule_prep and
/// __napi_schedule on the transmitting CPU. veth_poll then takes up to the budget of frames
/// (veth_xdp_rcv → napi_gro_receive; the GRO flush at napi_complete_done hands them to
/// __netif_receive_skb) and, below the budget, completes the napi, clears
/// rx_notify_masked and reschedules itself if the ring filled meanwhile. Without GRO the
/// same veth_xmit goes to netif_rx and the backlog (<see cref="Veth.Xmit"/>).
/// </summary>
/// <remarks>
/// The kernel's __napi_schedule joins the poll_list of whichever CPU ran veth_xmit; the
/// model's napi has one CPU, the constructor's xmitCpu: the CPU the
/// peer's sender is pinned to. A frame dropped at a full ring is reported as a backlog
/// drop (<see cref="DropReason.Backlog"/>): both are the receive queue of a software device.
/// </remarks>
public sealed class VethRq : INapiDriver
{
    /// <summary>VETH_RING_SIZE: 256 entries in each queue's xdp_ring (drivers/net/veth.c).</summary>
    public const int RingSize = 256;

    private readonly Queue<(Packet Packet, long QueuedNs, WaitSnapshot Snapshot)> _ring = new();
    private readonly IBacklogReceiver _receiver;
    private readonly KernelCpu _cpu;
    private bool _notifyMasked;

    /// <summary>Creates the queue of the receiving end <paramref name="receiver"/>, with its napi (netif_napi_add, NAPI_POLL_WEIGHT 64).</summary>
    /// <param name="name">The receiving device's name, for the napi (napi/&lt;name&gt;-0 when threaded).</param>
    /// <param name="receiver">The receiving end's stack: __netif_receive_skb and above.</param>
    /// <param name="xmitCpu">The CPU whose poll_list the napi joins: where the peer's sender transmits.</param>
    public VethRq(string name, IBacklogReceiver receiver, KernelCpu xmitCpu)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(xmitCpu);
        _receiver = receiver;
        _cpu = xmitCpu;
        Napi = new Napi(name, xmitCpu, this, xmitCpu.Kernel.Options.NapiWeight);
    }

    /// <summary>The queue's napi (veth_poll).</summary>
    public Napi Napi { get; }

    /// <summary>Frames waiting in the ring.</summary>
    public int Count => _ring.Count;

    /// <summary>Frames dropped at a full ring.</summary>
    public long Dropped { get; private set; }

    /// <summary>Called with each dropped frame.</summary>
    public Action<Packet, DropReason>? OnDrop { get; set; }

    /// <summary>
    /// veth_xmit's NAPI branch, on the transmitting CPU with bottom halves off: veth_xdp_rx
    /// then __veth_xdp_flush. False when the ring was full and the frame dropped. The caller's
    /// local_bh_enable runs the NET_RX this raised (or, threaded, the napi thread was woken).
    /// </summary>
    public bool Xmit(Packet packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (_ring.Count >= RingSize)
        {
            Dropped++;
            OnDrop?.Invoke(packet, DropReason.Backlog);
            return false;
        }

        _ring.Enqueue((packet, _cpu.Kernel.Sim.NowNs, WaitMeter.Snapshot(_cpu)));
        if (!_notifyMasked && !Napi.IsScheduled)
        {
            _notifyMasked = true;
            Napi.Schedule();
        }

        return true;
    }

    /// <inheritdoc/>
    public bool TryReceive(out Packet packet)
    {
        if (_ring.Count == 0)
        {
            packet = null!;
            return false;
        }

        (packet, long queuedNs, WaitSnapshot snapshot) = _ring.Dequeue();
        WaitMeter.Charge(packet, queuedNs, snapshot, _cpu, null, WaitCause.PollList);
        _receiver.Taken(packet);
        return true;
    }

    /// <inheritdoc/>
    public long ReceiveCostNs(Packet packet) => _receiver.ReceiveCostNs(packet);

    /// <inheritdoc/>
    public void Deliver(Packet packet) => _receiver.Receive(packet);

    /// <inheritdoc/>
    /// <remarks>veth_poll after napi_complete_done: smp_store_mb(rx_notify_masked, false), then a ring that filled meanwhile is scheduled again.</remarks>
    public void ReenableInterrupt()
    {
        _notifyMasked = false;
        if (_ring.Count > 0)
        {
            _notifyMasked = true;
            Napi.Schedule();
        }
    }
}
