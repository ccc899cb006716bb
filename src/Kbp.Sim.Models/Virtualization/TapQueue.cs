using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Virtualization;

/// <summary>
/// The tap device's queue toward vhost-net (drivers/net/tun.c tun_net_xmit into the tfile
/// ring): frames the host stack forwards to the VM wait here for vhost's handle_rx; beyond
/// tx_queue_len (500) they are dropped (kernel-mechanics §3.4, §10.3).
/// </summary>
public sealed class TapQueue
{
    private readonly Queue<(Packet Packet, long QueuedNs, WaitSnapshot Snapshot)> _queue = new();
    private readonly Simulator _sim;

    /// <summary>Creates a queue of <paramref name="capacity"/> frames.</summary>
    public TapQueue(Simulator sim, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _sim = sim;
        Capacity = capacity;
    }

    /// <summary>tx_queue_len.</summary>
    public int Capacity { get; }

    /// <summary>Frames waiting.</summary>
    public int Count => _queue.Count;

    /// <summary>Frames dropped at a full queue.</summary>
    public long Drops { get; private set; }

    /// <summary>The vhost worker that consumes this queue (for wait attribution).</summary>
    public VhostNet? Consumer { get; set; }

    /// <summary>Called with each dropped frame.</summary>
    public Action<Packet, DropReason>? OnDrop { get; set; }

    /// <summary>tun_net_xmit: queues a frame; false (and counted) when full.</summary>
    public bool TryEnqueue(Packet packet)
    {
        if (_queue.Count >= Capacity)
        {
            Drops++;
            OnDrop?.Invoke(packet, DropReason.TapQueue);
            return false;
        }

        VhostNet consumer = Consumer ?? throw new InvalidOperationException("tap queue has no vhost consumer");
        _queue.Enqueue((packet, _sim.NowNs, WaitMeter.Snapshot(consumer.Cpu, consumer)));
        return true;
    }

    /// <summary>vhost's recvmsg from the tap: takes the oldest frame and charges its wait.</summary>
    public bool TryDequeue(out Packet packet)
    {
        if (_queue.Count == 0)
        {
            packet = null!;
            return false;
        }

        (packet, long queuedNs, WaitSnapshot snapshot) = _queue.Dequeue();
        VhostNet consumer = Consumer!;
        WaitMeter.Charge(packet, queuedNs, snapshot, consumer.Cpu, consumer, WaitCause.Wakeup);
        return true;
    }
}
