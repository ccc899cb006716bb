using Kbp.Sim.Events;

namespace Kbp.Sim.Processing;

/// <summary>
/// Timers of code that runs on a processor. On a processor whose gate is closed (a guest
/// whose vCPU thread is off its host CPU) a timer that expires cannot be handled: the
/// guest's local APIC timer interrupt is only delivered at the next VM entry. Such a
/// timer is held and fired, in expiry order, as soon as the gate opens again. On an
/// ungated processor the gate is always open and a timer is an ordinary event.
/// </summary>
internal sealed class GatedTimers
{
    private readonly Simulator _sim;
    private readonly Func<bool> _isGateOpen;
    private readonly EventCallback _onExpired;
    private readonly EventCallback _onFlush;
    private readonly Queue<TimerHandle> _held = new();
    private readonly Stack<int> _free = new();
    private Slot[] _slots = new Slot[16];
    private int _used;
    private long _nextGeneration = 1;
    private bool _flushScheduled;

    public GatedTimers(Simulator sim, Func<bool> isGateOpen)
    {
        _sim = sim;
        _isGateOpen = isGateOpen;
        _onExpired = OnExpired;
        _onFlush = OnFlush;
    }

    /// <summary>Timers expired and held behind the closed gate.</summary>
    public int HeldCount => _held.Count;

    public TimerHandle Schedule(long atNs, EventCallback callback, long argument)
    {
        int slot = _free.Count > 0 ? _free.Pop() : NewSlot();
        long generation = _nextGeneration++;
        _slots[slot] = new Slot
        {
            Callback = callback,
            Argument = argument,
            Generation = generation,
            Event = _sim.Schedule(atNs, _onExpired, slot),
        };
        return new TimerHandle(slot, generation);
    }

    public bool Cancel(TimerHandle handle)
    {
        if (handle.IsNone || handle.Slot >= _used || _slots[handle.Slot].Generation != handle.Generation)
        {
            return false;
        }

        // Either the event is still pending, or it expired and is held; a held one is
        // skipped at flush time because its generation no longer matches.
        _sim.Cancel(_slots[handle.Slot].Event);
        Release(handle.Slot);
        return true;
    }

    /// <summary>Called by the processor when its gate opens.</summary>
    public void OnGateOpened()
    {
        if (_held.Count > 0 && !_flushScheduled)
        {
            // Fire from a fresh event, not from inside the host processor's dispatch that
            // opened the gate: the callbacks are model code and may act on that processor.
            _flushScheduled = true;
            _sim.ScheduleAfter(0, _onFlush);
        }
    }

    private void OnExpired(long slotArgument)
    {
        int slot = (int)slotArgument;
        if (_isGateOpen())
        {
            Fire(slot);
        }
        else
        {
            _held.Enqueue(new TimerHandle(slot, _slots[slot].Generation));
        }
    }

    private void OnFlush(long unused)
    {
        _flushScheduled = false;
        while (_held.Count > 0 && _isGateOpen())
        {
            TimerHandle held = _held.Dequeue();
            if (_slots[held.Slot].Generation == held.Generation)
            {
                Fire(held.Slot);
            }
        }
    }

    private void Fire(int slot)
    {
        EventCallback callback = _slots[slot].Callback!;
        long argument = _slots[slot].Argument;
        Release(slot);
        callback(argument);
    }

    private void Release(int slot)
    {
        _slots[slot] = default;
        _free.Push(slot);
    }

    private int NewSlot()
    {
        if (_used == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }

        return _used++;
    }

    private struct Slot
    {
        public EventCallback? Callback;
        public long Argument;
        public long Generation;
        public EventHandle Event;
    }
}
