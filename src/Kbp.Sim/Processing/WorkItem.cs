namespace Kbp.Sim.Processing;

/// <summary>
/// An execution context's piece of CPU work: a hardIRQ handler, a softIRQ vector's run,
/// a thread's burst. Models create one per context and resubmit it for each burst, so
/// executing work allocates nothing. Work is CPU time at nominal speed; the processor's
/// speed stretches or shrinks it.
/// </summary>
public sealed class WorkItem
{
    /// <summary>Work that never completes on its own (a vCPU thread, a busy-poll loop); it leaves the processor only when withdrawn.</summary>
    public const long Unbounded = long.MaxValue;

    /// <summary>Creates an idle work item.</summary>
    /// <param name="label">The context's name, e.g. "hardirq", "softirq:NET_RX", "thread:ksoftirqd/1".</param>
    /// <param name="priorityClass">0 is the most urgent class; a lower number preempts a higher one.</param>
    /// <param name="onCompleted">Called when a burst's work is done; the item is idle again by then.</param>
    public WorkItem(string label, int priorityClass, Action<WorkItem>? onCompleted = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        ArgumentOutOfRangeException.ThrowIfNegative(priorityClass);
        Label = label;
        PriorityClass = priorityClass;
        OnCompleted = onCompleted;
    }

    /// <summary>The context's name, as traces show it.</summary>
    public string Label { get; }

    /// <summary>The item's class on its processor; 0 is the most urgent.</summary>
    public int PriorityClass { get; }

    /// <summary>Idle, ready or running.</summary>
    public WorkState State { get; internal set; }

    /// <summary>The processor the item is queued or running on; null while idle.</summary>
    public Processor? Processor { get; internal set; }

    /// <summary>Told of every start, stop and speed change of this item; at most one.</summary>
    public IRunStateObserver? Observer { get; set; }

    /// <summary>The packet this context is working on, for traces; -1 for none.</summary>
    public long PacketId { get; set; } = -1;

    /// <summary>Simulated time spent running, over the item's whole life, the running segment included.</summary>
    public long RunTimeNs => State == WorkState.Running && Processor is { } p
        ? AccountedRunTimeNs + p.CurrentSegmentNs
        : AccountedRunTimeNs;

    /// <summary>Run time of the segments already ended.</summary>
    internal long AccountedRunTimeNs { get; set; }

    /// <summary>Nominal work left in the current burst (rounded up), or <see cref="Unbounded"/>.</summary>
    public long RemainingWorkNs => IsUnbounded ? Unbounded : (long)Math.Ceiling(RemainingWork);

    internal Action<WorkItem>? OnCompleted { get; }

    internal bool IsUnbounded { get; set; }

    /// <summary>Nominal nanoseconds left; fractional because progress at a non-unit speed is.</summary>
    internal double RemainingWork { get; set; }

    internal WorkItem? Previous { get; set; }

    internal WorkItem? Next { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"{Label} ({State})";
}
