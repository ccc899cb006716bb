using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Hardware;

/// <summary>
/// A NIC port: a line rate, Rx queues the NIC DMAs received frames into, each with its
/// interrupt vector, and Tx queues the MAC drains onto the line.
/// </summary>
/// <remarks>
/// One Rx and one Tx queue for now. RSS (up to <c>IXGBE_MAX_RSS_INDICES</c> = 16 queues,
/// hashing UDP on IP addresses only unless <c>rx-flow-hash udp4 sdfn</c>) is future
/// work: <see cref="RxQueues"/> and <see cref="TxQueues"/> are lists, and the choice of
/// queue for a received frame is made in one place. The paper's flow is a single UDP
/// flow, which RSS would put on one queue anyway.
/// </remarks>
public sealed class Nic
{
    private readonly NicRxQueue[] _rxQueues;
    private readonly NicTxQueue[] _txQueues;

    /// <summary>Creates a NIC whose queues are empty and whose interrupts wait for a driver.</summary>
    /// <param name="sim">The simulator.</param>
    /// <param name="name">The port's name, e.g. "host/eth0"; queues are "&lt;name&gt;/rx0", "&lt;name&gt;/tx0".</param>
    /// <param name="options">Rate, ring sizes, moderation.</param>
    /// <param name="onTransmitted">Receives each transmitted frame when its last bit has left (the outgoing <see cref="Link"/>'s <see cref="Link.Send"/>).</param>
    public Nic(Simulator sim, string name, NicOptions options, Action<Packet> onTransmitted)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onTransmitted);
        options.Validate();
        Name = name;
        Options = options;
        _rxQueues = [new NicRxQueue(sim, name + "/rx0", options)];
        _txQueues = [new NicTxQueue(sim, name + "/tx0", options, onTransmitted)];
    }

    /// <summary>The port's name.</summary>
    public string Name { get; }

    /// <summary>The options it was built from.</summary>
    public NicOptions Options { get; }

    /// <summary>Line rate in bit/s.</summary>
    public double RateBps => Options.RateBps;

    /// <summary>The Rx queues (one for now).</summary>
    public IReadOnlyList<NicRxQueue> RxQueues => _rxQueues;

    /// <summary>The Tx queues (one for now).</summary>
    public IReadOnlyList<NicTxQueue> TxQueues => _txQueues;

    /// <summary>Rx queue 0, the only one until RSS is modelled.</summary>
    public NicRxQueue RxQueue => _rxQueues[0];

    /// <summary>Tx queue 0, the only one until multi-queue Tx is modelled.</summary>
    public NicTxQueue TxQueue => _txQueues[0];

    /// <summary>Sets the drop observer of every queue (e.g. the tester's <see cref="Tester.NotifyDropped"/>).</summary>
    public void ObserveDrops(Action<Packet, DropReason> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        foreach (NicRxQueue rx in _rxQueues)
        {
            rx.DropObserver = observer;
        }

        foreach (NicTxQueue tx in _txQueues)
        {
            tx.DropObserver = observer;
        }
    }

    /// <summary>Frames dropped on every Rx ring.</summary>
    public long RxDropped
    {
        get
        {
            long total = 0;
            foreach (NicRxQueue rx in _rxQueues)
            {
                total += rx.Dropped.Value;
            }

            return total;
        }
    }

    /// <summary>
    /// The receive side of the wire: a frame's last bit has arrived from the link now.
    /// The NIC picks its queue and writes it there (no PCIe DMA latency is modelled).
    /// </summary>
    public void ReceiveFromLink(Packet packet) => SelectRxQueue(packet).OnFrameArrived(packet);

    /// <summary>The driver queues a frame for transmission on Tx queue 0; false when its ring is full (counted as a drop).</summary>
    public bool TryTransmit(Packet packet) => _txQueues[0].TryEnqueue(packet);

    /// <summary>Where RSS would hash the flow; one queue for now.</summary>
    private NicRxQueue SelectRxQueue(Packet packet) => _rxQueues[0];
}
