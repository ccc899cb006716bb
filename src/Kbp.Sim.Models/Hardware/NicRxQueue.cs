using System.Diagnostics.CodeAnalysis;
using Kbp.Sim.Events;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Statistics;
using Kbp.Sim.Tracing;

namespace Kbp.Sim.Models.Hardware;

/// <summary>
/// One Rx queue of a NIC: a descriptor ring the NIC DMAs frames into, and the queue's
/// interrupt vector (MSI-X) with its auto-mask and its throttle (EITR).
/// </summary>
/// <remarks>
/// <para>
/// Hardware side. A frame whose last bit has arrived is written to the next free
/// descriptor (<see cref="OnFrameArrived"/>); with no free descriptor the NIC drops it
/// (<c>rx_missed_errors</c> / <c>rx_no_dma_resources</c>). Each write-back latches the
/// queue's interrupt cause (EICR). While the vector is enabled and a cause is latched,
/// the NIC asserts the interrupt, at once or, under moderation, no sooner than one
/// interval after the previous one. Asserting it clears the cause (EIAC) and masks the
/// vector (EIAM) until the driver re-enables it (<see cref="EnableInterrupt"/>, the
/// <c>ixgbe_irq_enable_queues</c> after <c>napi_complete_done</c>). A cause latched while
/// masked (frames that arrived during the poll) fires as soon as the vector is enabled,
/// even if the poll already took those frames: the hardware's "interrupt with no work".
/// </para>
/// <para>
/// Driver side. <see cref="TryTake"/> is <c>ixgbe_clean_rx_irq</c> taking one frame;
/// the descriptor is refilled at once. Simplified: ixgbe keeps one descriptor unused
/// (<c>ixgbe_desc_unused</c>) and refills in batches of <c>IXGBE_RX_BUFFER_WRITE</c> = 16,
/// so the real ring holds 1..16 frames fewer; PCIe DMA time is not modelled.
/// </para>
/// <para>
/// Waits. A frame's time in the ring is charged when it is taken: the part during which
/// an interrupt was due but held back by moderation goes to
/// <see cref="WaitCause.InterruptModeration"/>, the rest (masked while NAPI runs,
/// interrupt handling, poll order) to <see cref="WaitCause.RingQueueing"/>. The held-back
/// time is a running total of moderation windows, read at arrival and at take.
/// </para>
/// </remarks>
public sealed class NicRxQueue
{
    // Trace records of a queue: the queue's name stands in the processor column, CPU -1.
    private const string TraceIrqContext = "nic:irq";
    private const string TraceDropContext = "nic:drop";

    private readonly Simulator _sim;
    private readonly Entry[] _ring;
    private readonly EventCallback _onInterruptDue;
    private readonly InterruptModeration _moderation;
    private readonly long _fixedIntervalNs;
    private readonly AdaptiveItr? _adaptiveItr;
    private readonly ITraceSink _trace;
    private readonly bool _tracing;
    private Action? _onInterrupt;
    private int _head;
    private int _count;
    private bool _enabled;
    private bool _causeLatched;
    private EventHandle _pendingInterrupt;
    private long _lastInterruptNs = long.MinValue;

    // Running total of time an interrupt was held back by moderation; a window is open
    // from the first cause inside an interval until the deferred interrupt fires.
    private long _heldBackClosedNs;
    private long _heldBackOpenSinceNs = -1;

    /// <summary>Creates an empty ring whose vector is disabled until a driver calls <see cref="RequestIrq"/>.</summary>
    /// <param name="sim">The simulator.</param>
    /// <param name="name">The queue's name in counters, e.g. "host/eth0/rx0".</param>
    /// <param name="options">Ring size, moderation and line rate.</param>
    public NicRxQueue(Simulator sim, string name, NicOptions options)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _sim = sim;
        Name = name;
        _ring = new Entry[options.RxRingSize];
        _moderation = options.Moderation;
        _fixedIntervalNs = options.FixedIntervalNs;
        if (_moderation == InterruptModeration.Adaptive)
        {
            _adaptiveItr = new AdaptiveItr(options.RateBps, options.JiffyNs);
        }

        _onInterruptDue = OnInterruptDue;
        _trace = sim.Trace;
        _tracing = _trace.IsEnabled;
        Received = new Counter(name + "/received");
        Dropped = new Counter(name + "/dropped:" + nameof(DropReason.NicRxRing));
        Interrupts = new Counter(name + "/interrupts");
        Occupancy = new TimeWeightedGauge(name + "/occupancy", sim.NowNs);
    }

    /// <summary>The queue's name.</summary>
    public string Name { get; }

    /// <summary>Descriptors in the ring.</summary>
    public int RingSize => _ring.Length;

    /// <summary>Frames in the ring, waiting for the driver.</summary>
    public int Count => _count;

    /// <summary>Whether the vector may raise an interrupt (not masked).</summary>
    public bool IsInterruptEnabled => _enabled;

    /// <summary>Whether an interrupt is scheduled and held back by moderation.</summary>
    public bool IsInterruptPending => _sim.IsPending(_pendingInterrupt);

    /// <summary>The interval moderation enforces between interrupts now (0 when off).</summary>
    public long ModerationIntervalNs => _moderation switch
    {
        InterruptModeration.Fixed => _fixedIntervalNs,
        InterruptModeration.Adaptive => _adaptiveItr!.IntervalNs,
        _ => 0,
    };

    /// <summary>Frames written to the ring.</summary>
    public Counter Received { get; }

    /// <summary>Frames dropped for want of a free descriptor (<see cref="DropReason.NicRxRing"/>).</summary>
    public Counter Dropped { get; }

    /// <summary>Interrupts asserted.</summary>
    public Counter Interrupts { get; }

    /// <summary>Frames in the ring over time.</summary>
    public TimeWeightedGauge Occupancy { get; }

    /// <summary>Told of every frame the ring drops (e.g. the tester's loss accounting); optional.</summary>
    public Action<Packet, DropReason>? DropObserver { get; set; }

    /// <summary>
    /// Told of each frame written to the ring (descriptor write-back), in ring order; the
    /// driver uses it to note what its CPU was doing when the frame started to wait.
    /// </summary>
    public Action<Packet>? ArrivalObserver { get; set; }

    /// <summary>
    /// The driver attaches its interrupt handler and enables the vector
    /// (<c>ixgbe_request_irq</c> then <c>ixgbe_irq_enable</c> at <c>ixgbe_open</c>).
    /// The handler is called from a simulator event; it runs in no CPU's context, so it
    /// should submit the hardIRQ work to a processor.
    /// </summary>
    /// <exception cref="InvalidOperationException">When a handler is already attached.</exception>
    public void RequestIrq(Action onInterrupt)
    {
        ArgumentNullException.ThrowIfNull(onInterrupt);
        if (_onInterrupt is not null)
        {
            throw new InvalidOperationException($"'{Name}' already has an interrupt handler");
        }

        _onInterrupt = onInterrupt;
        _enabled = true;
        MaybeRaise(_sim.NowNs);
    }

    /// <summary>The NIC has written a frame whose last bit arrived now; dropped when the ring is full.</summary>
    public void OnFrameArrived(Packet packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        long nowNs = _sim.NowNs;
        if (_count == _ring.Length)
        {
            Dropped.Increment();
            if (_tracing)
            {
                _trace.Write(new TraceEvent(nowNs, TraceKind.Instant, Name, -1, TraceDropContext, packet.Id, "rx ring full"));
            }

            DropObserver?.Invoke(packet, DropReason.NicRxRing);
            return;
        }

        int tail = _head + _count;
        if (tail >= _ring.Length)
        {
            tail -= _ring.Length;
        }

        _ring[tail] = new Entry(packet, nowNs, HeldBackNs(nowNs));
        _count++;
        Received.Increment();
        Occupancy.Set(nowNs, _count);
        ArrivalObserver?.Invoke(packet);
        _causeLatched = true;
        MaybeRaise(nowNs);
    }

    /// <summary>
    /// The driver takes the oldest frame (<c>ixgbe_clean_rx_irq</c>) and the NIC gets the
    /// descriptor back. The frame's time in the ring is charged here; nothing is stamped
    /// (the kernel stamps rxh0).
    /// </summary>
    public bool TryTake([MaybeNullWhen(false)] out Packet packet)
    {
        if (_count == 0)
        {
            packet = null;
            return false;
        }

        long nowNs = _sim.NowNs;
        ref Entry entry = ref _ring[_head];
        packet = entry.Packet;
        long heldBackNs = HeldBackNs(nowNs) - entry.HeldBackAtArrivalNs;
        packet.AddWait(WaitCause.InterruptModeration, heldBackNs);
        packet.AddWait(WaitCause.RingQueueing, nowNs - entry.ArrivedNs - heldBackNs);
        _adaptiveItr?.CountFrame(packet.FrameBytes);
        entry = default;
        _head = _head + 1 == _ring.Length ? 0 : _head + 1;
        _count--;
        Occupancy.Set(nowNs, _count);
        return true;
    }

    /// <summary>
    /// The driver re-enables the vector after <c>napi_complete_done</c>
    /// (<c>ixgbe_irq_enable_queues</c>); in adaptive mode it first retunes the interval
    /// (<c>ixgbe_set_itr</c>). A cause latched meanwhile raises an interrupt.
    /// </summary>
    public void EnableInterrupt()
    {
        if (_enabled)
        {
            return;
        }

        long nowNs = _sim.NowNs;
        _adaptiveItr?.Update(nowNs);
        _enabled = true;
        MaybeRaise(nowNs);
    }

    /// <summary>
    /// The driver masks the vector (<c>ixgbe_irq_disable_queues</c>, or a busy poller
    /// keeping interrupts off); an interrupt held back by moderation is withdrawn, its
    /// cause stays latched.
    /// </summary>
    public void DisableInterrupt()
    {
        if (!_enabled)
        {
            return;
        }

        _enabled = false;
        if (_sim.Cancel(_pendingInterrupt))
        {
            CloseHeldBackWindow(_sim.NowNs);
        }

        _pendingInterrupt = default;
    }

    private void MaybeRaise(long nowNs)
    {
        if (!_enabled || !_causeLatched || _sim.IsPending(_pendingInterrupt))
        {
            return;
        }

        long intervalNs = ModerationIntervalNs;
        long dueNs = intervalNs > 0 && _lastInterruptNs != long.MinValue
            ? Math.Max(nowNs, _lastInterruptNs + intervalNs)
            : nowNs;
        if (dueNs > nowNs)
        {
            _heldBackOpenSinceNs = nowNs;
        }

        // Delivered from an event even when due now, so a driver calling EnableInterrupt
        // from its poll is never re-entered.
        _pendingInterrupt = _sim.Schedule(dueNs, _onInterruptDue);
    }

    private void OnInterruptDue(long unused)
    {
        long nowNs = _sim.NowNs;
        _pendingInterrupt = default;
        CloseHeldBackWindow(nowNs);
        _enabled = false;       // EIAM auto-mask
        _causeLatched = false;  // EIAC auto-clear
        _lastInterruptNs = nowNs;
        Interrupts.Increment();
        if (_tracing)
        {
            _trace.Write(new TraceEvent(nowNs, TraceKind.Instant, Name, -1, TraceIrqContext));
        }

        _onInterrupt?.Invoke();
    }

    private long HeldBackNs(long nowNs) =>
        _heldBackOpenSinceNs < 0 ? _heldBackClosedNs : _heldBackClosedNs + (nowNs - _heldBackOpenSinceNs);

    private void CloseHeldBackWindow(long nowNs)
    {
        if (_heldBackOpenSinceNs >= 0)
        {
            _heldBackClosedNs += nowNs - _heldBackOpenSinceNs;
            _heldBackOpenSinceNs = -1;
        }
    }

    private record struct Entry(Packet Packet, long ArrivedNs, long HeldBackAtArrivalNs);
}
