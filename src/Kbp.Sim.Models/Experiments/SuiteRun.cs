using Kbp.Sim.Statistics;

namespace Kbp.Sim.Models.Experiments;

/// <summary>What the paper's claims read of a delay distribution: exact count, minimum, maximum and mean.</summary>
/// <param name="Name">What was measured ("rtt", or a stage such as "rxg0-rxg1").</param>
/// <param name="Count">Samples.</param>
/// <param name="MinNs">Smallest.</param>
/// <param name="MaxNs">Largest.</param>
/// <param name="MeanNs">Mean.</param>
public sealed record DelaySummary(string Name, long Count, long MinNs, long MaxNs, double MeanNs)
{
    /// <summary>The summary of a recorder.</summary>
    public static DelaySummary Of(LatencyRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        return new DelaySummary(recorder.Name, recorder.Count, recorder.MinNs, recorder.MaxNs, recorder.MeanNs);
    }
}

/// <summary>
/// A latency run of the paper suite reduced to what the claims and the container predictions
/// read (a <see cref="RunResult"/> keeps the histograms of every stage): small and exact, so a
/// work unit of a sharded <c>validate</c> can be written to a part file and read back equal.
/// </summary>
/// <param name="Latency">Round trips.</param>
/// <param name="Frames">Frame counts.</param>
/// <param name="Stages">Per-stage delays, in path order.</param>
/// <param name="TailCauses">Causes of the frames at or above the 99.9th percentile, largest share first.</param>
/// <param name="ExcursionsPerSecond">Episodes of round trips above 1 ms per simulated second.</param>
public sealed record SuiteRun(DelaySummary Latency, FrameCounts Frames, IReadOnlyList<DelaySummary> Stages, IReadOnlyList<TailCause> TailCauses, double ExcursionsPerSecond)
{
    /// <summary>Lost / sent, as <see cref="RunResult.LossRatio"/>.</summary>
    public double LossRatio => Frames.Sent == 0 ? 0 : (double)Frames.Lost / Frames.Sent;

    /// <summary>The summary of <paramref name="run"/>.</summary>
    public static SuiteRun Of(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new SuiteRun(DelaySummary.Of(run.Latency), run.Frames, [.. run.Stages.Select(DelaySummary.Of)], run.TailCauses, run.ExcursionsPerSecond);
    }
}
