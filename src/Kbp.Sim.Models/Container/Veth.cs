using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Container;

/// <summary>
/// One end of a veth pair as its peer's transmit sees it (drivers/net/veth.c, 4.15;
/// kernel-mechanics §3.2): veth_xmit on the peer forwards the frame with dev_forward_skb →
/// netif_rx, onto the backlog of the CPU that transmits; this end's namespace receives it
/// when that backlog is processed (process_backlog → __netif_receive_skb). On 5.x–6.x a GRO
/// or XDP setting gives veth a NAPI of its own: <see cref="VethRq"/>, which hands its frames
/// to this end's stack the same way.
/// </summary>
public sealed class Veth : IBacklogReceiver
{
    private readonly Simulator _sim;
    private readonly long _receiveCostNs;
    private readonly Action<Packet> _deliver;
    private readonly Probe? _takenProbe;
    private readonly Func<long>? _deliverExtraNs;

    /// <summary>Creates the end.</summary>
    /// <param name="sim">The simulator (for probe times).</param>
    /// <param name="name">Interface name, e.g. "eth0@container" or "veth0@host".</param>
    /// <param name="receiveCostNs">__netif_receive_skb and the stack above it in this end's namespace, per frame.</param>
    /// <param name="deliver">Where the frame goes after that (a socket, the bridge...).</param>
    /// <param name="takenProbe">The probe stamped when process_backlog takes the frame, if any.</param>
    /// <param name="deliverExtraNs">Extra cost of the delivery now, e.g. waking a blocked reader.</param>
    public Veth(Simulator sim, string name, long receiveCostNs, Action<Packet> deliver, Probe? takenProbe = null, Func<long>? deliverExtraNs = null)
    {
        _sim = sim;
        Name = name;
        _receiveCostNs = receiveCostNs;
        _deliver = deliver;
        _takenProbe = takenProbe;
        _deliverExtraNs = deliverExtraNs;
    }

    /// <summary>The interface name.</summary>
    public string Name { get; }

    /// <summary>Frames received through the backlog.</summary>
    public long Received { get; private set; }

    /// <summary>
    /// veth_xmit on the peer, running on <paramref name="cpu"/> with bottom halves off:
    /// the frame joins that CPU's backlog for this end; false when the backlog dropped it.
    /// The caller's local_bh_enable (or the running net_rx_action) processes it.
    /// </summary>
    public bool Xmit(Packet packet, KernelCpu cpu)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        return cpu.Backlog.Enqueue(packet, this);
    }

    /// <inheritdoc/>
    public void Taken(Packet packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (_takenProbe is Probe probe)
        {
            packet.Stamp(probe, _sim.NowNs);
        }
    }

    /// <inheritdoc/>
    public long ReceiveCostNs(Packet packet) => _receiveCostNs + (_deliverExtraNs?.Invoke() ?? 0);

    /// <inheritdoc/>
    public void Receive(Packet packet)
    {
        Received++;
        _deliver(packet);
    }
}
