namespace Kbp.Sim.Tracing;

/// <summary>What a <see cref="TraceEvent"/> marks.</summary>
public enum TraceKind
{
    /// <summary>A context started running on a CPU.</summary>
    Begin,

    /// <summary>A context stopped running (completed, preempted, descheduled or paused).</summary>
    End,

    /// <summary>A point event (a packet passing a probe, an interrupt raised).</summary>
    Instant,
}

/// <summary>
/// One typed trace record. The strings are labels the models create once (a context's
/// name, a cause), so writing a record allocates nothing.
/// </summary>
/// <param name="TimeNs">Simulated time of the record.</param>
/// <param name="Kind">Begin, end or instant.</param>
/// <param name="Processor">The processor's name, e.g. "host/cpu1" or "guest/vcpu0".</param>
/// <param name="Cpu">The CPU number within its processor's machine.</param>
/// <param name="Context">The execution context, e.g. "hardirq", "softirq:NET_RX", "thread:ksoftirqd/1".</param>
/// <param name="PacketId">The packet concerned, or -1.</param>
/// <param name="Cause">Why: a short phrase naming the mechanism, or null.</param>
/// <param name="PriorityClass">For a processor's begin/end, the running item's priority class (0 most urgent); -1 otherwise.</param>
/// <remarks>
/// Besides the processors' begin/end pairs (one running context per processor at a time),
/// models may write begin/end pairs whose context starts with <c>softirq:</c> (a softIRQ
/// vector's run, e.g. <c>softirq:NET_RX</c>): these nest inside the processor's softIRQ
/// sections and form a lane of their own.
/// </remarks>
public readonly record struct TraceEvent(
    long TimeNs,
    TraceKind Kind,
    string Processor,
    int Cpu,
    string Context,
    long PacketId = -1,
    string? Cause = null,
    int PriorityClass = -1);
