using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// Where a frame handed to a CPU's backlog goes when process_backlog reaches it: the
/// receiving device's side of __netif_receive_skb (a veth peer's namespace stack, for one).
/// </summary>
public interface IBacklogReceiver
{
    /// <summary>process_backlog took <paramref name="packet"/> off the queue (for probes).</summary>
    void Taken(Packet packet);

    /// <summary>CPU time, nominal ns, of __netif_receive_skb and the stack above it for <paramref name="packet"/>.</summary>
    long ReceiveCostNs(Packet packet);

    /// <summary>The frame's receive cost is spent: hand it on (socket, bridge, NIC...).</summary>
    void Receive(Packet packet);
}

/// <summary>
/// A CPU's backlog (softnet_data.input_pkt_queue and its backlog napi; net/core/dev.c,
/// kernel-mechanics §3.1): netif_rx → enqueue_to_backlog queues on the calling CPU, drops
/// above netdev_max_backlog, and when the queue was empty schedules the backlog napi —
/// through an inlined call, so it always raises NET_RX, KBP or not. process_backlog then
/// runs one full __netif_receive_skb per frame, dev_weight (64) frames per poll, in
/// whatever context runs NET_RX next: the irq exit, the enqueuer's own local_bh_enable,
/// the current net_rx_action, or ksoftirqd.
/// </summary>
public sealed class Backlog : INapiDriver
{
    private readonly Queue<(Packet Packet, long QueuedNs, WaitSnapshot Snapshot, IBacklogReceiver Receiver)> _queue = new();
    private readonly KernelCpu _cpu;
    private IBacklogReceiver? _current;

    internal Backlog(KernelCpu cpu)
    {
        _cpu = cpu;
        Napi = new Napi($"backlog/{cpu.Id}", cpu, this, cpu.Kernel.Options.DevWeight, isBacklog: true);
    }

    /// <summary>The backlog napi.</summary>
    public Napi Napi { get; }

    /// <summary>Frames waiting.</summary>
    public int Count => _queue.Count;

    /// <summary>Frames dropped at a full backlog (softnet_stat dropped).</summary>
    public long Dropped { get; private set; }

    /// <summary>Called with each dropped frame.</summary>
    public Action<Packet, DropReason>? OnDrop { get; set; }

    /// <summary>
    /// enqueue_to_backlog: queues <paramref name="packet"/> for <paramref name="receiver"/>;
    /// false (and counted) when more than netdev_max_backlog frames wait.
    /// </summary>
    public bool Enqueue(Packet packet, IBacklogReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(receiver);
        if (_queue.Count > _cpu.Kernel.Options.NetdevMaxBacklog)
        {
            Dropped++;
            OnDrop?.Invoke(packet, DropReason.Backlog);
            return false;
        }

        _queue.Enqueue((packet, _cpu.Kernel.Sim.NowNs, WaitMeter.Snapshot(_cpu), receiver));
        if (_queue.Count == 1)
        {
            Napi.Schedule();
        }

        return true;
    }

    /// <inheritdoc/>
    public bool TryReceive(out Packet packet)
    {
        if (_queue.Count == 0)
        {
            packet = null!;
            return false;
        }

        (packet, long queuedNs, WaitSnapshot snapshot, _current) = _queue.Dequeue();
        WaitMeter.Charge(packet, queuedNs, snapshot, _cpu, null, WaitCause.PollList);
        _current.Taken(packet);
        return true;
    }

    /// <inheritdoc/>
    public long ReceiveCostNs(Packet packet) => _current!.ReceiveCostNs(packet);

    /// <inheritdoc/>
    public void Deliver(Packet packet) => _current!.Receive(packet);

    /// <inheritdoc/>
    /// <remarks>The backlog has no interrupt: a frame queued later schedules the napi again.</remarks>
    public void ReenableInterrupt()
    {
    }
}
