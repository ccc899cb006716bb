using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Virtualization;

/// <summary>
/// The guest's virtio-net transmit queue (start_xmit, drivers/net/virtio_net.c): the
/// driver adds the frame and kicks the host unless the host asked not to be notified
/// (vhost_disable_notify while handle_tx runs; a polling vhost-user backend sets
/// VRING_USED_F_NO_NOTIFY for good). A kick is a VM exit whose cost the sending guest CPU
/// pays (kernel-mechanics §4.1, §8). Probe txg2 is the moment the host learns of the
/// frame: its kick, or, when the host asked not to be kicked, the moment the host takes it
/// from the ring (vhost_get_vq_desc in handle_tx, or the PMD's dequeue). Notifications stay
/// off while handle_tx runs, also while the vhost worker is preempted in the middle of a
/// batch, so frames added then wait for the host in txg1→txg2 (paper Table 2: 3.6 ms).
/// </summary>
public sealed class VirtioNetTx
{
    private readonly Queue<(Packet Packet, long QueuedNs, WaitSnapshot Snapshot)> _avail = new();
    private Packet? _awaitingKick;
    private bool _polled;

    // The frame whose kick told the host of it, until the host takes it: its wait in the ring
    // starts at the kick, since the time before is the sender's own VM exit (or preemption),
    // which the sending CPU's stretch already charges.
    private Packet? _kicked;
    private long _kickNs;
    private WaitSnapshot _kickSnapshot;

    /// <summary>Creates the queue of <paramref name="queueSize"/> descriptors.</summary>
    public VirtioNetTx(int queueSize) => QueueSize = queueSize;

    /// <summary>Virtqueue size [QEMU VIRTIO_NET_TX_QUEUE_DEFAULT_SIZE 256].</summary>
    public int QueueSize { get; }

    /// <summary>True when vhost wants a kick for new buffers.</summary>
    public bool KickEnabled { get; private set; } = true;

    /// <summary>Frames waiting for vhost.</summary>
    public int Count => _avail.Count;

    /// <summary>Frames dropped because the ring was full (the queue would be stopped).</summary>
    public long Drops { get; private set; }

    /// <summary>Kicks sent.</summary>
    public long Kicks { get; private set; }

    /// <summary>The host side that consumes this queue.</summary>
    public IVirtioTxBackend? Consumer { get; set; }

    /// <summary>Called with each dropped frame.</summary>
    public Action<Packet, DropReason>? OnDrop { get; set; }

    /// <summary>
    /// Adds a frame; returns true when the caller must kick (virtqueue_kick_prepare), in
    /// which case it pays the VM exit and then calls <see cref="Kick"/>.
    /// </summary>
    public bool Add(Packet packet)
    {
        if (_avail.Count >= QueueSize)
        {
            Drops++;
            OnDrop?.Invoke(packet, DropReason.Virtqueue);
            return false;
        }

        IVirtioTxBackend consumer = Consumer ?? throw new InvalidOperationException("virtqueue has no host backend");
        KThread worker = consumer.Worker;
        long nowNs = worker.Cpu.Kernel.Sim.NowNs;
        _avail.Enqueue((packet, nowNs, WaitMeter.Snapshot(worker.Cpu, worker)));
        if (KickEnabled)
        {
            _awaitingKick = packet;
            return true;
        }

        // No kick: the host finds the frame when it next reads the ring (TryTake stamps txg2).
        if (_polled)
        {
            consumer.NotifyTx();
        }

        return false;
    }

    /// <summary>virtqueue_notify: the ioeventfd wakes vhost's handle_tx.</summary>
    public void Kick()
    {
        // The host may have taken the frame before the guest finished its VM exit.
        KThread worker = Consumer!.Worker;
        if (_awaitingKick is { } kicked && kicked.At(Probe.Txg2) < 0)
        {
            _kickNs = worker.Cpu.Kernel.Sim.NowNs;
            _kickSnapshot = WaitMeter.Snapshot(worker.Cpu, worker);
            _kicked = kicked;
            kicked.Stamp(Probe.Txg2, _kickNs);
        }

        _awaitingKick = null;
        Kicks++;
        KickEnabled = false;
        Consumer!.NotifyTx();
    }

    /// <summary>
    /// The host side (vhost_get_vq_desc in handle_tx, or the PMD's dequeue): takes the next
    /// frame, charges its wait in the ring and stamps txg2 if no kick told the host of it.
    /// </summary>
    public bool TryTake(out Packet packet)
    {
        if (_avail.Count == 0)
        {
            packet = null!;
            return false;
        }

        (packet, long queuedNs, WaitSnapshot snapshot) = _avail.Dequeue();
        if (ReferenceEquals(packet, _kicked))
        {
            (queuedNs, snapshot, _kicked) = (_kickNs, _kickSnapshot, null);
        }

        IVirtioTxBackend consumer = Consumer!;
        WaitMeter.Charge(packet, queuedNs, snapshot, consumer.Worker.Cpu, consumer.Worker, consumer.QueueingCause);
        if (packet.At(Probe.Txg2) < 0)
        {
            packet.Stamp(Probe.Txg2, consumer.Worker.Cpu.Kernel.Sim.NowNs);
        }

        return true;
    }

    /// <summary>vhost_enable_notify: the avail ring is empty, kicks are wanted again.</summary>
    internal void EnableKick() => KickEnabled = true;

    /// <summary>
    /// A polling backend turns guest notifications off for good
    /// (rte_vhost_enable_guest_notification(..., 0) when OvS attaches the device): the
    /// guest never kicks, the poller finds frames by itself.
    /// </summary>
    internal void DisableKicksForPolling()
    {
        KickEnabled = false;
        _polled = true;
    }
}
