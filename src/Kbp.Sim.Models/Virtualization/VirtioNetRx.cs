using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Virtualization;

/// <summary>
/// The guest's virtio-net receive queue and its NAPI driver (drivers/net/virtio_net.c,
/// kernel-mechanics §4.1): vhost fills used buffers; the interrupt (skb_recv_done) disables
/// further callbacks and schedules the napi (virtqueue_napi_schedule → __napi_schedule);
/// virtnet_poll receives up to the budget; a poll below the budget re-enables callbacks
/// and, if buffers were used meanwhile, schedules itself again (virtqueue_napi_complete).
/// The host fills only buffers the guest posted; virtnet_receive posts new ones
/// (try_fill_recv) at the end of a poll only once more than <see cref="RefillThreshold"/>
/// descriptors are free, so between refills the host has 128 to 256 buffers on 4.15.
/// </summary>
public sealed class VirtioNetRx : INapiDriver
{
    private readonly Queue<(Packet Packet, long QueuedNs, WaitSnapshot Snapshot)> _used = new();
    private readonly KernelCpu _cpu;
    private readonly long _receiveCostNs;
    private readonly Action<Packet> _deliver;
    private readonly Func<long>? _deliverExtraNs;
    private readonly Action _interrupt;
    private long _deliveryExtraNs;
    private int _posted;

    /// <summary>Creates the queue with its interrupt on guest CPU <paramref name="irqCpu"/>.</summary>
    /// <param name="irqCpu">The guest CPU taking the Rx interrupt.</param>
    /// <param name="vcpu">That CPU's vCPU thread (interrupts are injected through it).</param>
    /// <param name="queueSize">Virtqueue size [QEMU VIRTIO_NET_RX_QUEUE_DEFAULT_SIZE 256].</param>
    /// <param name="receiveCostNs">Guest CPU per frame: virtio receive, GRO, IP/UDP, socket enqueue.</param>
    /// <param name="deliver">Where frames go after the stack (the UDP socket).</param>
    /// <param name="deliverExtraNs">Extra cost of the delivery now, e.g. waking a blocked reader.</param>
    public VirtioNetRx(KernelCpu irqCpu, VcpuThread vcpu, int queueSize, long receiveCostNs, Action<Packet> deliver, Func<long>? deliverExtraNs = null)
    {
        _deliverExtraNs = deliverExtraNs;
        _cpu = irqCpu;
        Vcpu = vcpu;
        QueueSize = queueSize;
        _receiveCostNs = receiveCostNs;
        _deliver = deliver;
        Napi = new Napi("virtio0-rx", irqCpu, this, irqCpu.Kernel.Options.NapiWeight);
        _interrupt = OnInterrupt;
        _posted = queueSize;

        // virtnet_receive: 4.15 refills when num_free > vring_size / 2; 6.1 and later when
        // num_free > min(budget, vring_size) / 2 (kernel-mechanics §4.1).
        RefillThreshold = irqCpu.Kernel.Options.Version == KernelVersion.V4_15
            ? queueSize / 2
            : Math.Min(irqCpu.Kernel.Options.NapiWeight, queueSize) / 2;
    }

    /// <summary>Free descriptors above which a poll refills the ring (try_fill_recv).</summary>
    public int RefillThreshold { get; }

    /// <summary>Empty buffers posted for the host to fill.</summary>
    public int PostedBuffers => _posted;

    /// <summary>True when the host has a posted buffer to fill.</summary>
    public bool HasBuffer => _posted > 0;

    /// <summary>Refills done (try_fill_recv calls).</summary>
    public long Refills { get; private set; }

    /// <summary>The napi.</summary>
    public Napi Napi { get; }

    /// <summary>The vCPU of the interrupt CPU.</summary>
    public VcpuThread Vcpu { get; }

    /// <summary>Virtqueue size.</summary>
    public int QueueSize { get; }

    /// <summary>True when the guest wants an interrupt for new buffers (callbacks enabled).</summary>
    public bool CallbacksEnabled { get; private set; } = true;

    /// <summary>Used buffers waiting for the guest.</summary>
    public int Count => _used.Count;

    /// <summary>
    /// Set by vhost when it stopped for lack of guest buffers (vhost_enable_notify on the Rx
    /// queue): the guest's next refill kicks it.
    /// </summary>
    public bool HostWaitsForBuffers { get; set; }

    /// <summary>The kick after a refill (try_fill_recv → virtqueue_kick) when vhost waits for buffers.</summary>
    public Action? OnRefillKick { get; set; }

    /// <summary>Interrupts injected.</summary>
    public long Interrupts { get; private set; }

    /// <summary>vhost side: adds a frame to a posted buffer; false when the guest posted none.</summary>
    public bool TryAddUsed(Packet packet)
    {
        if (_posted == 0)
        {
            return false;
        }

        _posted--;
        _used.Enqueue((packet, _cpu.Kernel.Sim.NowNs, WaitMeter.Snapshot(_cpu)));
        return true;
    }

    /// <summary>vhost_signal → eventfd → irqfd: interrupts the guest if it asked for it.</summary>
    public void SignalGuest()
    {
        if (!CallbacksEnabled || _used.Count == 0)
        {
            return;
        }

        // Event-index suppression: no further interrupt until the guest re-enables callbacks.
        CallbacksEnabled = false;
        Interrupts++;
        Kvm.Inject(Vcpu, () => _cpu.HardIrq.Raise("virtio0-input", _cpu.Kernel.Costs.HardIrqNs, _interrupt));
    }

    /// <inheritdoc/>
    public bool TryReceive(out Packet packet)
    {
        if (_used.Count == 0)
        {
            packet = null!;
            return false;
        }

        (packet, long queuedNs, WaitSnapshot snapshot) = _used.Dequeue();
        WaitMeter.Charge(packet, queuedNs, snapshot, _cpu, null, WaitCause.PollList);
        packet.Stamp(Probe.Rxg0, _cpu.Kernel.Sim.NowNs);
        return true;
    }

    /// <summary>
    /// virtnet_receive's refill: once more than <see cref="RefillThreshold"/> descriptors
    /// are free, try_fill_recv posts a buffer in every one of them and kicks the host if it
    /// waits for buffers. (The buffers' allocation cost is in the per-frame receive cost.)
    /// </summary>
    /// <param name="work">Frames the poll received.</param>
    public void EndPoll(int work)
    {
        int free = QueueSize - _posted - _used.Count;
        if (free <= RefillThreshold)
        {
            return;
        }

        _posted += free;
        Refills++;
        if (HostWaitsForBuffers)
        {
            HostWaitsForBuffers = false;
            OnRefillKick?.Invoke();
        }
    }

    /// <inheritdoc/>
    public long ReceiveCostNs(Packet packet)
    {
        _deliveryExtraNs = _deliverExtraNs?.Invoke() ?? 0;
        return _receiveCostNs + _deliveryExtraNs;
    }

    /// <summary>
    /// Probe rxg1 is the socket enqueue. In __sock_queue_rcv_skb the frame is queued
    /// (__skb_queue_tail) before sk_data_ready wakes a blocked reader, so the frame was on
    /// the socket the wakeup's time before the step ended; the wakeup is not part of
    /// rxg0→rxg1 (the paper's 2.20 µs), it delays the reader (rxg1→txg0).
    /// </summary>
    /// <param name="packet">The frame the step received.</param>
    public void Deliver(Packet packet)
    {
        long nowNs = _cpu.Kernel.Sim.NowNs;
        long wakeupWallNs = (long)(_deliveryExtraNs / _cpu.Processor.EffectiveSpeed);
        packet.Stamp(Probe.Rxg1, Math.Max(packet.At(Probe.Rxg0), nowNs - wakeupWallNs));
        _deliver(packet);
    }

    /// <inheritdoc/>
    public void ReenableInterrupt()
    {
        CallbacksEnabled = true;
        if (_used.Count > 0)
        {
            // virtqueue_poll() found buffers used meanwhile: virtqueue_napi_schedule again.
            CallbacksEnabled = false;
            Napi.Schedule();
        }
    }

    /// <summary>skb_recv_done: callbacks off, napi scheduled.</summary>
    private void OnInterrupt()
    {
        CallbacksEnabled = false;
        Napi.Schedule();
    }
}
