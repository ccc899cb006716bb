using Kbp.Sim.Tracing;

namespace Kbp.Sim.Tests.Engine;

/// <summary>Keeps every trace record, for tests that check what ran when.</summary>
internal sealed class RecordingTraceSink : ITraceSink
{
    public List<TraceEvent> Events { get; } = new();

    public bool IsEnabled => true;

    public void Write(in TraceEvent traceEvent) => Events.Add(traceEvent);

    /// <summary>The [begin, end) running intervals of a context on a processor.</summary>
    public List<(long BeginNs, long EndNs)> Segments(string processor, string context)
    {
        var segments = new List<(long, long)>();
        long begin = -1;
        foreach (TraceEvent e in Events.Where(e => e.Processor == processor && e.Context == context))
        {
            if (e.Kind == TraceKind.Begin)
            {
                begin = e.TimeNs;
            }
            else if (e.Kind == TraceKind.End)
            {
                segments.Add((begin, e.TimeNs));
                begin = -1;
            }
        }

        if (begin >= 0)
        {
            segments.Add((begin, long.MaxValue));
        }

        return segments;
    }
}
