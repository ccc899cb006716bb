using System.Runtime.CompilerServices;
using Kbp.Sim.Events;
using Kbp.Sim.Randomness;
using Kbp.Sim.Tracing;

namespace Kbp.Sim;

/// <summary>Why <see cref="Simulator.Run"/> returned.</summary>
public enum StopReason
{
    /// <summary>No event was left to fire.</summary>
    QueueEmpty,

    /// <summary>The next event lay beyond the time limit; the clock stands at the limit.</summary>
    TimeLimit,

    /// <summary>The stop predicate became true after an event.</summary>
    Predicate,

    /// <summary>An event called <see cref="Simulator.Stop"/>.</summary>
    Stopped,
}

/// <summary>
/// The discrete-event simulator: one integer-nanosecond clock, the pending-event queue,
/// the run's random streams and its trace sink. It knows nothing of what events mean.
/// </summary>
/// <remarks>
/// Each pending event owns a slot in a table holding its callback and argument; the
/// queue holds only (time, sequence &lt;&lt; 24 | slot). Cancelling frees the slot at once
/// and leaves the queue entry behind: when it reaches the front, its sequence no longer
/// matches the slot's and it is dropped. Slots are recycled, so scheduling allocates
/// nothing once the table has grown to the largest number of pending events.
/// Limits: 2^24 (16.7 M) events pending at once, 2^40 (1.1 T) events scheduled per run.
/// </remarks>
public sealed class Simulator
{
    private const int SlotBits = 24;
    private const int MaxSlots = 1 << SlotBits;
    private const ulong SlotMask = MaxSlots - 1;
    private const long MaxSequence = (1L << (64 - SlotBits)) - 1;

    private readonly IEventQueue _queue;

    // The default queue, called directly (sealed, no interface dispatch) on every event.
    private readonly AdaptiveQueue? _adaptive;
    private Slot[] _slots = new Slot[1024];
    private int[] _freeSlots = new int[1024];
    private int _freeCount;
    private int _slotsUsed;
    private long _nextSequence = 1;
    private bool _stopRequested;

    /// <summary>Creates a simulator at time 0.</summary>
    /// <param name="seed">The run seed every random stream derives from.</param>
    /// <param name="trace">Where typed trace events go; <see cref="NullTraceSink"/> when omitted.</param>
    /// <param name="queue">The event queue; an <see cref="AdaptiveQueue"/> when omitted.</param>
    public Simulator(ulong seed, ITraceSink? trace = null, IEventQueue? queue = null)
    {
        _queue = queue ?? new AdaptiveQueue();
        _adaptive = _queue as AdaptiveQueue;
        Random = new RandomStreams(seed);
        Trace = trace ?? NullTraceSink.Instance;
    }

    /// <summary>The current simulated time in nanoseconds.</summary>
    public long NowNs { get; private set; }

    /// <summary>The run's random streams, one per named component.</summary>
    public RandomStreams Random { get; }

    /// <summary>The trace sink models write to.</summary>
    public ITraceSink Trace { get; }

    /// <summary>
    /// While tracing: the name of the processor whose completed work is being continued
    /// (set around a work item's completion callback), so that a model's record of
    /// something happening "now" can say on which CPU; null otherwise, and always null
    /// when the trace sink is disabled.
    /// </summary>
    public string? TraceScope { get; set; }

    /// <summary>Events scheduled and neither fired nor cancelled.</summary>
    public int PendingCount { get; private set; }

    /// <summary>Events fired since the start of the run.</summary>
    public long FiredCount { get; private set; }

    /// <summary>Schedules <paramref name="callback"/> at absolute time <paramref name="atNs"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="atNs"/> is in the past.</exception>
    public EventHandle Schedule(long atNs, EventCallback callback, long argument = 0)
    {
        if (atNs < NowNs)
        {
            throw new ArgumentOutOfRangeException(nameof(atNs), atNs, $"cannot schedule in the past (now {NowNs} ns)");
        }

        if (_nextSequence > MaxSequence)
        {
            throw new InvalidOperationException($"a run may schedule at most {MaxSequence} events");
        }

        int slot = _freeCount > 0 ? _freeSlots[--_freeCount] : NewSlot();
        long sequence = _nextSequence++;
        ref Slot s = ref _slots[slot];
        s.Callback = callback;
        s.Argument = argument;
        s.Sequence = sequence;
        PendingCount++;
        var entry = new QueueEntry(atNs, ((ulong)sequence << SlotBits) | (uint)slot);
        if (_adaptive is not null)
        {
            _adaptive.Enqueue(entry);
        }
        else
        {
            _queue.Enqueue(entry);
        }

        return new EventHandle(slot, sequence);
    }

    /// <summary>Schedules <paramref name="callback"/> <paramref name="delayNs"/> from now.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="delayNs"/> is negative.</exception>
    public EventHandle ScheduleAfter(long delayNs, EventCallback callback, long argument = 0)
    {
        if (delayNs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(delayNs), delayNs, "delay must not be negative");
        }

        return Schedule(NowNs + delayNs, callback, argument);
    }

    /// <summary>
    /// Cancels a pending event. Returns false, and does nothing, when the handle names no
    /// event, or one that already fired or was already cancelled.
    /// </summary>
    public bool Cancel(EventHandle handle)
    {
        if (!IsPending(handle))
        {
            return false;
        }

        ReleaseSlot(handle.Slot);
        PendingCount--;
        return true;
    }

    /// <summary>True while the event named by <paramref name="handle"/> is still to fire.</summary>
    public bool IsPending(EventHandle handle) =>
        !handle.IsNone && (uint)handle.Slot < (uint)_slotsUsed && _slots[handle.Slot].Sequence == handle.Sequence;

    /// <summary>Asks the running <see cref="Run"/> to return after the current event.</summary>
    public void Stop() => _stopRequested = true;

    /// <summary>
    /// Fires events in time order until the queue is empty, the next event lies after
    /// <paramref name="untilNs"/> (events at exactly that time still fire, and the clock
    /// is then set to it), <paramref name="stopWhen"/> returns true after an event, or an
    /// event calls <see cref="Stop"/>. When the queue runs empty before a finite
    /// <paramref name="untilNs"/>, the clock still advances to it.
    /// </summary>
    public StopReason Run(long untilNs = long.MaxValue, Func<bool>? stopWhen = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(untilNs, NowNs);
        _stopRequested = false;
        while (true)
        {
            QueueEntry next;
            if (_adaptive is not null ? !_adaptive.TryDequeueDue(untilNs, out next) : !_queue.TryDequeueDue(untilNs, out next))
            {
                break;
            }

            int slot = (int)(next.Key & SlotMask);
            ref Slot s = ref _slots[slot];
            if (s.Sequence != (long)(next.Key >> SlotBits))
            {
                // Cancelled: its slot was released, and perhaps reused by a later event.
                continue;
            }

            EventCallback callback = s.Callback!;
            long argument = s.Argument;
            ReleaseSlot(slot);
            PendingCount--;
            NowNs = next.TimeNs;
            FiredCount++;
            callback(argument);

            if (_stopRequested)
            {
                return StopReason.Stopped;
            }

            if (stopWhen is not null && stopWhen())
            {
                return StopReason.Predicate;
            }
        }

        if (untilNs != long.MaxValue)
        {
            NowNs = untilNs;
        }

        return _queue.Count == 0 ? StopReason.QueueEmpty : StopReason.TimeLimit;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReleaseSlot(int slot)
    {
        _slots[slot] = default;
        if (_freeCount == _freeSlots.Length)
        {
            Array.Resize(ref _freeSlots, _freeSlots.Length * 2);
        }

        _freeSlots[_freeCount++] = slot;
    }

    private int NewSlot()
    {
        if (_slotsUsed == MaxSlots)
        {
            throw new InvalidOperationException($"at most {MaxSlots} events may be pending at once");
        }

        if (_slotsUsed == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }

        return _slotsUsed++;
    }

    private struct Slot
    {
        public EventCallback? Callback;
        public long Argument;
        public long Sequence;
    }
}
