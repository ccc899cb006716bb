using Kbp.Sim.Events;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Statistics;
using Kbp.Sim.Tracing;

namespace Kbp.Sim.Models.Hardware;

/// <summary>
/// One Tx queue of a NIC: a descriptor ring the driver fills (<c>ixgbe_xmit_frame_ring</c>)
/// and the MAC drains onto the line, one frame after another at line rate.
/// </summary>
/// <remarks>
/// <para>
/// A frame queued behind others waits for them to go out; then its own bits take their
/// wire time (<see cref="LineSerializer"/>: preamble and SFD, frame, then the IFG before
/// the next frame). All of it, from <see cref="TryEnqueue"/> to the last bit leaving, is
/// charged to <see cref="WaitCause.NicSerialization"/>; this is the txh1 → txh2 stage
/// the paper measured at 2.5 ms when micro-bursts overran a 1 GbE NIC.
/// </para>
/// <para>
/// Simplified: the descriptor is free as soon as the frame's last bit left; in the
/// driver it stays in use until <c>ixgbe_clean_tx_irq</c> reclaims it in the next poll.
/// Stopping and waking the qdisc (<c>ixgbe_maybe_stop_tx</c>, <c>netif_wake_queue</c>)
/// belongs to the kernel model, which can watch <see cref="FreeDescriptors"/> and
/// <see cref="DescriptorFreed"/>. Descriptor fetch and PCIe DMA time are not modelled.
/// </para>
/// </remarks>
public sealed class NicTxQueue
{
    private readonly Simulator _sim;
    private readonly Entry[] _ring;
    private readonly LineSerializer _line;
    private readonly Action<Packet> _onTransmitted;
    private readonly EventCallback _onLastBit;
    private readonly ITraceSink _trace;
    private readonly bool _tracing;
    private int _head;
    private int _count;
    private bool _transmitting;

    /// <summary>Creates an empty ring on an idle line.</summary>
    /// <param name="sim">The simulator.</param>
    /// <param name="name">The queue's name in counters, e.g. "host/eth0/tx0".</param>
    /// <param name="options">Ring size and line rate.</param>
    /// <param name="onTransmitted">Receives each frame when its last bit has left (usually a <see cref="Link"/>'s <see cref="Link.Send"/>).</param>
    public NicTxQueue(Simulator sim, string name, NicOptions options, Action<Packet> onTransmitted)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onTransmitted);
        options.Validate();
        _sim = sim;
        Name = name;
        _ring = new Entry[options.TxRingSize];
        _line = new LineSerializer(options.RateBps);
        _onTransmitted = onTransmitted;
        _onLastBit = OnLastBit;
        _trace = sim.Trace;
        _tracing = _trace.IsEnabled;
        Enqueued = new Counter(name + "/enqueued");
        Transmitted = new Counter(name + "/transmitted");
        Dropped = new Counter(name + "/dropped:" + nameof(DropReason.NicTxRing));
        Occupancy = new TimeWeightedGauge(name + "/occupancy", sim.NowNs);
    }

    /// <summary>The queue's name.</summary>
    public string Name { get; }

    /// <summary>Descriptors in the ring.</summary>
    public int RingSize => _ring.Length;

    /// <summary>Frames in the ring, the one on the wire included.</summary>
    public int Count => _count;

    /// <summary>Descriptors the driver may still fill.</summary>
    public int FreeDescriptors => _ring.Length - _count;

    /// <summary>Line rate in bit/s.</summary>
    public double RateBps => _line.RateBps;

    /// <summary>Frames accepted into the ring.</summary>
    public Counter Enqueued { get; }

    /// <summary>Frames whose last bit has left.</summary>
    public Counter Transmitted { get; }

    /// <summary>Frames refused because the ring was full (<see cref="DropReason.NicTxRing"/>).</summary>
    public Counter Dropped { get; }

    /// <summary>Frames in the ring over time.</summary>
    public TimeWeightedGauge Occupancy { get; }

    /// <summary>Told of every frame the ring refuses; optional.</summary>
    public Action<Packet, DropReason>? DropObserver { get; set; }

    /// <summary>Called after each frame has left and freed its descriptor (where the driver would wake a stopped queue); optional.</summary>
    public Action? DescriptorFreed { get; set; }

    /// <summary>
    /// Queues a frame for transmission; false, counted and reported as
    /// <see cref="DropReason.NicTxRing"/>, when every descriptor is in use.
    /// </summary>
    public bool TryEnqueue(Packet packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        long nowNs = _sim.NowNs;
        if (_count == _ring.Length)
        {
            Dropped.Increment();
            if (_tracing)
            {
                // The queue's name stands in the processor column, CPU -1.
                _trace.Write(new TraceEvent(nowNs, TraceKind.Instant, Name, -1, "nic:drop", packet.Id, "tx ring full"));
            }

            DropObserver?.Invoke(packet, DropReason.NicTxRing);
            return false;
        }

        int tail = _head + _count;
        if (tail >= _ring.Length)
        {
            tail -= _ring.Length;
        }

        _ring[tail] = new Entry(packet, nowNs);
        _count++;
        Enqueued.Increment();
        Occupancy.Set(nowNs, _count);
        if (!_transmitting)
        {
            StartHead(nowNs);
        }

        return true;
    }

    private void StartHead(long nowNs)
    {
        _transmitting = true;
        long lastBitNs = _line.Transmit(nowNs, _ring[_head].Packet.FrameBytes, out _);
        _sim.Schedule(lastBitNs, _onLastBit);
    }

    private void OnLastBit(long unused)
    {
        long nowNs = _sim.NowNs;
        ref Entry entry = ref _ring[_head];
        Packet packet = entry.Packet;
        packet.AddWait(WaitCause.NicSerialization, nowNs - entry.EnqueuedNs);
        packet.Stamp(Probe.Txh2, nowNs);
        entry = default;
        _head = _head + 1 == _ring.Length ? 0 : _head + 1;
        _count--;
        Transmitted.Increment();
        Occupancy.Set(nowNs, _count);
        _transmitting = false;
        if (_count > 0)
        {
            // Back to back: the line carries the IFG's fraction of a ns into the next frame.
            StartHead(nowNs);
        }

        _onTransmitted(packet);
        DescriptorFreed?.Invoke();
    }

    private record struct Entry(Packet Packet, long EnqueuedNs);
}
