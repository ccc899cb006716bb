using Kbp.Sim.Tracing;

namespace Kbp.Sim.Models.Explaining;

/// <summary>A context's running segment on a processor (or a softIRQ vector's run, in its own lane).</summary>
/// <param name="Processor">The processor, e.g. "host/cpu2" or "guest/vcpu0".</param>
/// <param name="Cpu">Its CPU number.</param>
/// <param name="Context">The context, e.g. "thread:ksoftirqd/0", "softirq", "hardirq", "softirq:NET_RX".</param>
/// <param name="PriorityClass">0 hardIRQ, 1 softIRQ, 2 RT, 3 CFS; -1 for a vector's run.</param>
/// <param name="StartNs">When it started running.</param>
/// <param name="EndNs">When it stopped (completed, preempted, switched out, or its vCPU stopped).</param>
/// <param name="Name">A finer name when the model gave one (the interrupt line of a hardIRQ section), else null.</param>
public readonly record struct TimelineSlice(string Processor, int Cpu, string Context, int PriorityClass, long StartNs, long EndNs, string? Name = null);

/// <summary>A point event: an interrupt line raised, a softIRQ hand-off to ksoftirqd, a drop.</summary>
public readonly record struct TimelineMark(string Processor, int Cpu, string Context, string? Cause, long TimeNs, long PacketId);

/// <summary>A queue's occupancy from <paramref name="TimeNs"/> on.</summary>
public readonly record struct CounterSample(string Process, string Name, long TimeNs, long Value);

/// <summary>
/// A trace sink that keeps what ran on every processor during given time windows, plus the
/// point events and sampled queue occupancies there. Outside the windows it keeps only the
/// context running on each processor, so memory is bounded by the windows, not the run.
/// </summary>
public sealed class TimelineRecorder : ITraceSink
{
    private readonly List<(long From, long To)> _windows;
    private readonly Dictionary<string, Open> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Open> _openVectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Name, long TimeNs)> _lastIrq = new(StringComparer.Ordinal);
    private readonly List<Gauge> _gauges = new();
    private long _lastNs;

    /// <summary>Records the union of <paramref name="windows"/> (each [from, to], simulated ns).</summary>
    public TimelineRecorder(IEnumerable<(long FromNs, long ToNs)> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        _windows = windows.Select(w => (w.FromNs, w.ToNs)).OrderBy(w => w.Item1).ToList();
        if (_windows.Count == 0 || _windows.Any(w => w.To < w.From))
        {
            throw new ArgumentException("give at least one window with from <= to", nameof(windows));
        }

        FromNs = _windows[0].From;
        ToNs = _windows.Max(w => w.To);
    }

    /// <inheritdoc/>
    public bool IsEnabled => true;

    /// <summary>Start of the earliest window.</summary>
    public long FromNs { get; }

    /// <summary>End of the latest window.</summary>
    public long ToNs { get; }

    /// <summary>Running segments of processor contexts that overlap a window, in the order they ended.</summary>
    public List<TimelineSlice> Slices { get; } = new();

    /// <summary>softIRQ vectors' runs that overlap a window (context "softirq:NET_RX" etc.).</summary>
    public List<TimelineSlice> Vectors { get; } = new();

    /// <summary>Point events inside a window.</summary>
    public List<TimelineMark> Marks { get; } = new();

    /// <summary>Queue occupancies inside a window, each sample when the value changed.</summary>
    public List<CounterSample> Counters { get; } = new();

    /// <summary>Samples <paramref name="read"/> as counter <paramref name="name"/> of <paramref name="process"/> ("host", "guest") whenever something is recorded in a window.</summary>
    public void AddCounter(string process, string name, Func<long> read) => _gauges.Add(new Gauge(process, name, read));

    /// <summary>True when <paramref name="timeNs"/> lies in a window.</summary>
    public bool InWindow(long timeNs)
    {
        foreach ((long from, long to) in _windows)
        {
            if (timeNs >= from && timeNs <= to)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when [<paramref name="startNs"/>, <paramref name="endNs"/>] meets a window.</summary>
    public bool Overlaps(long startNs, long endNs)
    {
        foreach ((long from, long to) in _windows)
        {
            if (startNs <= to && endNs >= from)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public void Write(in TraceEvent traceEvent)
    {
        long t = traceEvent.TimeNs;
        _lastNs = t;
        bool vector = traceEvent.Context.StartsWith("softirq:", StringComparison.Ordinal);
        switch (traceEvent.Kind)
        {
            case TraceKind.Begin:
                (vector ? _openVectors : _open)[traceEvent.Processor] = new Open(traceEvent.Context, traceEvent.Cpu, traceEvent.PriorityClass, t, NameOf(traceEvent));
                break;
            case TraceKind.End:
                Dictionary<string, Open> lane = vector ? _openVectors : _open;
                if (lane.Remove(traceEvent.Processor, out Open open) && Overlaps(open.StartNs, t))
                {
                    (vector ? Vectors : Slices).Add(new TimelineSlice(traceEvent.Processor, open.Cpu, open.Context, open.PriorityClass, open.StartNs, t, open.Name));
                }

                break;
            default:
                if (traceEvent.Context.StartsWith("irq:", StringComparison.Ordinal))
                {
                    _lastIrq[traceEvent.Processor] = (traceEvent.Context[4..], t);
                }

                if (InWindow(t))
                {
                    Marks.Add(new TimelineMark(traceEvent.Processor, traceEvent.Cpu, traceEvent.Context, traceEvent.Cause, t, traceEvent.PacketId));
                }

                break;
        }

        if (_gauges.Count > 0 && InWindow(t))
        {
            Sample(t);
        }
    }

    /// <summary>Closes the segments still running at the end of the recording.</summary>
    public void Finish()
    {
        foreach ((string processor, Open open) in _open)
        {
            if (Overlaps(open.StartNs, _lastNs))
            {
                Slices.Add(new TimelineSlice(processor, open.Cpu, open.Context, open.PriorityClass, open.StartNs, Math.Max(_lastNs, open.StartNs), open.Name));
            }
        }

        foreach ((string processor, Open open) in _openVectors)
        {
            if (Overlaps(open.StartNs, _lastNs))
            {
                Vectors.Add(new TimelineSlice(processor, open.Cpu, open.Context, -1, open.StartNs, Math.Max(_lastNs, open.StartNs)));
            }
        }

        _open.Clear();
        _openVectors.Clear();
    }

    private string? NameOf(in TraceEvent e)
    {
        // A hardIRQ section is named by the interrupt line whose handler started last on
        // that CPU (handlers run one at a time, each announced before its section starts).
        if (e.Context == "hardirq" && _lastIrq.TryGetValue(e.Processor, out var irq))
        {
            return irq.Name;
        }

        return null;
    }

    private void Sample(long t)
    {
        foreach (Gauge g in _gauges)
        {
            long v = g.Read();
            if (v != g.Last)
            {
                g.Last = v;
                Counters.Add(new CounterSample(g.Process, g.Name, t, v));
            }
        }
    }

    private readonly record struct Open(string Context, int Cpu, int PriorityClass, long StartNs, string? Name);

    private sealed class Gauge(string process, string name, Func<long> read)
    {
        public string Process { get; } = process;

        public string Name { get; } = name;

        public Func<long> Read { get; } = read;

        public long Last { get; set; } = long.MinValue;
    }
}
