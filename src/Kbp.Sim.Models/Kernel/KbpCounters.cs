namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// What kernel-module/kbp.c counts per KBP thread (<c>struct kbp_stats</c>, the <c>cpu=N</c>
/// and <c>batch cpu=N</c> lines of its statistics file), kept the same way by the model's
/// <see cref="KbpThread"/> and filled from a file by <see cref="KbpModuleStats"/>, so that both
/// give the same derived figures.
/// </summary>
public sealed class KbpCounters
{
    /// <summary>Napis queued on the thread's list by __napi_schedule (requeues excluded).</summary>
    public long Schedules { get; set; }

    /// <summary>Of those, scheduled on a CPU without a KBP thread and forwarded (the model does not forward: 0).</summary>
    public long RemoteSchedules { get; set; }

    /// <summary>Schedules that woke the sleeping thread (idle_mode=sleep).</summary>
    public long Wakeups { get; set; }

    /// <summary>poll() calls.</summary>
    public long Polls { get; set; }

    /// <summary>Frames the polls returned.</summary>
    public long Packets { get; set; }

    /// <summary>poll() calls that returned 0.</summary>
    public long EmptyPolls { get; set; }

    /// <summary>
    /// Loop turns that found the list empty: naps (sleep), or spins (busy; in the model the
    /// spin's CPU time over <see cref="KbpOptions.PollLoopNs"/>, an assumption).
    /// </summary>
    public long IdleLoops { get; set; }

    /// <summary>Polls that used the whole weight, after which the napi went back on the list.</summary>
    public long Requeues { get; set; }

    /// <summary>Samples of the time from a schedule to the poll of that napi (requeues give none).</summary>
    public long SchedToPollCount { get; set; }

    /// <summary>Their sum, ns.</summary>
    public long SchedToPollSumNs { get; set; }

    /// <summary>Their maximum, ns.</summary>
    public long SchedToPollMaxNs { get; set; }

    /// <summary>The poll() return values by bucket.</summary>
    public KbpBatchHistogram Batch { get; } = new();

    /// <summary>Empty polls per poll; NaN without polls.</summary>
    public double EmptyPollRatio => Ratio(EmptyPolls, Polls);

    /// <summary>Frames per poll; NaN without polls.</summary>
    public double PacketsPerPoll => Ratio(Packets, Polls);

    /// <summary>Requeues per poll; NaN without polls.</summary>
    public double RequeueRatio => Ratio(Requeues, Polls);

    /// <summary>Mean schedule-to-poll time, ns; NaN without samples.</summary>
    public double SchedToPollMeanNs => Ratio(SchedToPollSumNs, SchedToPollCount);

    /// <summary>Records one schedule-to-poll sample.</summary>
    public void AddSchedToPoll(long ns)
    {
        SchedToPollCount++;
        SchedToPollSumNs += ns;
        if (ns > SchedToPollMaxNs)
        {
            SchedToPollMaxNs = ns;
        }
    }

    /// <summary>The sum of several threads' counters (the maximum of their maxima).</summary>
    public static KbpCounters Sum(IEnumerable<KbpCounters> threads)
    {
        ArgumentNullException.ThrowIfNull(threads);
        var sum = new KbpCounters();
        foreach (KbpCounters c in threads)
        {
            sum.Schedules += c.Schedules;
            sum.RemoteSchedules += c.RemoteSchedules;
            sum.Wakeups += c.Wakeups;
            sum.Polls += c.Polls;
            sum.Packets += c.Packets;
            sum.EmptyPolls += c.EmptyPolls;
            sum.IdleLoops += c.IdleLoops;
            sum.Requeues += c.Requeues;
            sum.SchedToPollCount += c.SchedToPollCount;
            sum.SchedToPollSumNs += c.SchedToPollSumNs;
            sum.SchedToPollMaxNs = Math.Max(sum.SchedToPollMaxNs, c.SchedToPollMaxNs);
            sum.Batch.Add(c.Batch);
        }

        return sum;
    }

    private static double Ratio(long part, long whole) => whole == 0 ? double.NaN : part / (double)whole;
}

/// <summary>One KBP thread's counters, with the CPU it is bound to.</summary>
/// <param name="Cpu">The thread's CPU (<c>kbp/N</c>).</param>
/// <param name="Counters">Its counters.</param>
public sealed record KbpThreadStats(int Cpu, KbpCounters Counters);
