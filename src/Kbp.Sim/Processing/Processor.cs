using Kbp.Sim.Events;
using Kbp.Sim.Tracing;

namespace Kbp.Sim.Processing;

/// <summary>
/// A CPU as a preemptive-resume server with ordered priority classes (class 0 most
/// urgent). It runs one <see cref="WorkItem"/> at a time: the head of the most urgent
/// non-empty class, first come first served within a class. An item of a more urgent
/// class preempts the running one, which goes back to the head of its class and later
/// resumes with the work it had left. Work is nominal CPU time; the effective speed
/// (frequency governor, and for a nested processor its host's speed) stretches it.
/// </summary>
/// <remarks>
/// <para>
/// With the kernel's contexts as classes (hardIRQ, softIRQ, real-time threads, fair
/// threads) this one mechanism produces most of the delays the simulator studies.
/// Choosing among fair threads (CFS) is a scheduler model's job: it decides which thread
/// item is submitted, and withdraws it at the end of its slice.
/// </para>
/// <para>
/// A <em>nested</em> processor is gated by a work item of another processor (a guest
/// vCPU is a host thread): it makes progress only while that item is running there.
/// When the gate closes, the running inner item is paused exactly like a preempted one;
/// inner timers that expire meanwhile are held until the gate opens.
/// </para>
/// <para>
/// A completion callback that resubmits its own item continues without losing the CPU
/// to a same-class rival (a thread's next burst); anything submitted from inside a
/// callback is dispatched once the callback returns.
/// </para>
/// </remarks>
public sealed partial class Processor : IRunStateObserver
{
    private readonly Simulator _sim;
    private readonly WorkItem? _gate;
    private readonly ReadyQueues _ready;
    private readonly long[] _busyNs;
    private readonly EventCallback _onCompletion;
    private readonly GatedTimers _timers;
    private readonly ITraceSink _trace;
    private readonly bool _tracing;
    private WorkItem? _current;
    private WorkItem? _completing;
    private EventHandle _completion;
    private long _segmentStartNs;
    private double _segmentSpeed;
    private double _speedFactor = 1.0;
    private bool _gateOpen;
    private bool _inCallback;

    /// <summary>Creates an idle processor.</summary>
    /// <param name="sim">The simulator whose clock drives it.</param>
    /// <param name="name">Its name in traces, e.g. "host/cpu1".</param>
    /// <param name="cpu">Its CPU number, for traces.</param>
    /// <param name="classCount">How many priority classes it has.</param>
    /// <param name="gate">For a nested processor, the outer work item whose running gates it.</param>
    public Processor(Simulator sim, string name, int cpu, int classCount, WorkItem? gate = null)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        _sim = sim;
        Name = name;
        Cpu = cpu;
        ClassCount = classCount;
        _ready = new ReadyQueues(classCount);
        _busyNs = new long[classCount];
        _onCompletion = OnCompletion;
        _timers = new GatedTimers(sim, () => _gateOpen);
        _trace = sim.Trace;
        _tracing = _trace.IsEnabled;
        _gate = gate;
        if (gate is null)
        {
            _gateOpen = true;
        }
        else
        {
            if (gate.Observer is not null)
            {
                throw new ArgumentException($"work item '{gate.Label}' already has an observer and cannot gate '{name}'", nameof(gate));
            }

            gate.Observer = this;
            _gateOpen = gate.State == WorkState.Running;
        }
    }

    /// <summary>Name in traces.</summary>
    public string Name { get; }

    /// <summary>CPU number, for traces.</summary>
    public int Cpu { get; }

    /// <summary>Number of priority classes.</summary>
    public int ClassCount { get; }

    /// <summary>The item executing now; null when idle or when the gate is closed.</summary>
    public WorkItem? Current => _current;

    /// <summary>True when the processor can make progress (always, unless nested and its gate is off-CPU).</summary>
    public bool IsGateOpen => _gateOpen;

    /// <summary>
    /// The processor's own speed factor (1 = nominal frequency; 0.5 = half clock, work
    /// takes twice as long). Changing it re-plans the running item's completion.
    /// </summary>
    public double SpeedFactor
    {
        get => _speedFactor;
        set
        {
            if (!(value > 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "speed factor must be positive and finite");
            }

            _speedFactor = value;
            if (_current is not null)
            {
                Replan();
            }
        }
    }

    /// <summary>The speed work progresses at when running: own factor times the gate's processor's speed.</summary>
    /// <remarks>An ungated processor answers without the recursion, so the check inlines into every dispatch.</remarks>
    public double EffectiveSpeed => _gate is null ? _speedFactor : GatedSpeed();

    /// <summary>The most urgent class with a waiting item (the running one not counted); -1 when none waits.</summary>
    public int HighestReadyClass => _ready.HighestClass;

    private double GatedSpeed() => _speedFactor * (_gate!.Processor?.EffectiveSpeed ?? 1.0);

    /// <summary>Simulated time spent running items of class <paramref name="priorityClass"/>, up to now.</summary>
    public long BusyNs(int priorityClass)
    {
        long busy = _busyNs[priorityClass];
        if (_current is not null && _current.PriorityClass == priorityClass)
        {
            busy += _sim.NowNs - _segmentStartNs;
        }

        return busy;
    }

    /// <summary>How long the running item's current segment has run, ns; 0 when idle.</summary>
    internal long CurrentSegmentNs => _current is null ? 0 : _sim.NowNs - _segmentStartNs;

    /// <summary>Simulated time spent running anything, up to now.</summary>
    public long TotalBusyNs
    {
        get
        {
            long total = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                total += BusyNs(c);
            }

            return total;
        }
    }

    /// <summary>
    /// Queues <paramref name="item"/> with <paramref name="workNs"/> of nominal work (or
    /// <see cref="WorkItem.Unbounded"/>) at the tail of its class, preempting the running
    /// item if the new one's class is more urgent.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the item is already on a processor.</exception>
    public void Submit(WorkItem item, long workNs)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentOutOfRangeException.ThrowIfNegative(workNs);
        if (item.State != WorkState.Idle)
        {
            throw new InvalidOperationException($"'{item.Label}' is already {item.State} on '{item.Processor?.Name}'");
        }

        if (item.PriorityClass >= ClassCount)
        {
            throw new ArgumentException($"'{item.Label}' has class {item.PriorityClass}; '{Name}' has {ClassCount} classes", nameof(item));
        }

        item.IsUnbounded = workNs == WorkItem.Unbounded;
        item.RemainingWork = item.IsUnbounded ? 0 : workNs;
        item.Processor = this;
        item.State = WorkState.Ready;
        if (ReferenceEquals(item, _completing))
        {
            _ready.PushFront(item);
        }
        else
        {
            _ready.PushBack(item);
        }

        if (!_inCallback)
        {
            Dispatch();
        }
    }

    /// <summary>
    /// Takes <paramref name="item"/> off this processor, running or waiting, and returns
    /// the nominal work it had left (to resubmit later, e.g. when a descheduled thread
    /// runs again).
    /// </summary>
    /// <exception cref="InvalidOperationException">When the item is not on this processor.</exception>
    public long Withdraw(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!ReferenceEquals(item.Processor, this))
        {
            throw new InvalidOperationException($"'{item.Label}' is not on '{Name}'");
        }

        if (ReferenceEquals(item, _current))
        {
            StopCurrent(WorkState.Idle);
        }
        else
        {
            _ready.Unlink(item);
            item.State = WorkState.Idle;
            item.Processor = null;
        }

        if (!_inCallback)
        {
            Dispatch();
        }

        return item.RemainingWorkNs;
    }

    private void Dispatch()
    {
        if (!_gateOpen)
        {
            return;
        }

        int best = HighestReadyClass;
        if (best < 0)
        {
            return;
        }

        if (_current is not null)
        {
            if (best >= _current.PriorityClass)
            {
                return;
            }

            StopCurrent(WorkState.Ready);
        }

        Start(_ready.Head(best)!);
    }

    private void Start(WorkItem item)
    {
        _ready.Unlink(item);
        _current = item;
        item.State = WorkState.Running;
        _segmentStartNs = _sim.NowNs;
        _segmentSpeed = EffectiveSpeed;
        ScheduleCompletion(item);
        if (_tracing)
        {
            _trace.Write(new TraceEvent(_sim.NowNs, TraceKind.Begin, Name, Cpu, item.Label, item.PacketId, PriorityClass: item.PriorityClass));
        }

        item.Observer?.OnRunStateChanged(item);
    }

    /// <summary>Stops the running item: back to the head of its class (Ready) or off the processor (Idle).</summary>
    private void StopCurrent(WorkState newState)
    {
        WorkItem item = _current!;
        Account(item);
        _sim.Cancel(_completion);
        _completion = default;
        _current = null;
        if (_tracing)
        {
            _trace.Write(new TraceEvent(_sim.NowNs, TraceKind.End, Name, Cpu, item.Label, item.PacketId, PriorityClass: item.PriorityClass));
        }

        if (newState == WorkState.Ready)
        {
            item.State = WorkState.Ready;
            _ready.PushFront(item);
        }
        else
        {
            item.State = WorkState.Idle;
            item.Processor = null;
        }

        item.Observer?.OnRunStateChanged(item);
    }

    private void OnCompletion(long unused)
    {
        WorkItem item = _current!;
        Account(item);
        item.RemainingWork = 0;
        _completion = default;
        _current = null;
        item.State = WorkState.Idle;
        item.Processor = null;
        if (_tracing)
        {
            _trace.Write(new TraceEvent(_sim.NowNs, TraceKind.End, Name, Cpu, item.Label, item.PacketId, PriorityClass: item.PriorityClass));
        }

        item.Observer?.OnRunStateChanged(item);
        _inCallback = true;
        _completing = item;
        string? outerScope = null;
        if (_tracing)
        {
            outerScope = _sim.TraceScope;
            _sim.TraceScope = Name;
        }

        try
        {
            item.OnCompleted?.Invoke(item);
        }
        finally
        {
            _completing = null;
            _inCallback = false;
            if (_tracing)
            {
                _sim.TraceScope = outerScope;
            }
        }

        Dispatch();
    }

    /// <summary>Charges the running segment so far and restarts it now at the current speed.</summary>
    private void Replan()
    {
        WorkItem item = _current!;
        Account(item);
        _segmentSpeed = EffectiveSpeed;
        _sim.Cancel(_completion);
        ScheduleCompletion(item);
        item.Observer?.OnRunStateChanged(item);
    }

    private void Account(WorkItem item)
    {
        long elapsedNs = _sim.NowNs - _segmentStartNs;
        _segmentStartNs = _sim.NowNs;
        _busyNs[item.PriorityClass] += elapsedNs;
        item.AccountedRunTimeNs += elapsedNs;
        if (!item.IsUnbounded)
        {
            item.RemainingWork = Math.Max(0, item.RemainingWork - (elapsedNs * _segmentSpeed));
        }
    }

    private void ScheduleCompletion(WorkItem item)
    {
        if (item.IsUnbounded)
        {
            _completion = default;
            return;
        }

        long delayNs = (long)Math.Ceiling(item.RemainingWork / _segmentSpeed);
        _completion = _sim.ScheduleAfter(delayNs, _onCompletion);
    }
}
