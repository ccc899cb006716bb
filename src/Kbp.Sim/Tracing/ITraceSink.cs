namespace Kbp.Sim.Tracing;

/// <summary>
/// Receives typed trace events. Producers read <see cref="IsEnabled"/> once, when they
/// are built, and skip building records entirely when it is false, so a disabled trace
/// costs one predictable branch.
/// </summary>
public interface ITraceSink
{
    /// <summary>False when records would be thrown away.</summary>
    bool IsEnabled { get; }

    /// <summary>Takes one record. Records arrive in non-decreasing time.</summary>
    void Write(in TraceEvent traceEvent);
}
