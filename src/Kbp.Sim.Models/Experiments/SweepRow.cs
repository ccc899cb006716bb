using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Statistics;

namespace Kbp.Sim.Models.Experiments;

/// <summary>Percentiles of a delay distribution, in nanoseconds.</summary>
/// <param name="Count">Samples.</param>
/// <param name="MinNs">Smallest.</param>
/// <param name="MeanNs">Mean.</param>
/// <param name="P50Ns">Median.</param>
/// <param name="P99Ns">99th percentile.</param>
/// <param name="P999Ns">99.9th percentile.</param>
/// <param name="P9999Ns">99.99th percentile.</param>
/// <param name="MaxNs">Largest.</param>
public sealed record LatencySummary(long Count, long MinNs, double MeanNs, long P50Ns, long P99Ns, long P999Ns, long P9999Ns, long MaxNs)
{
    /// <summary>The summary of a recorder.</summary>
    public static LatencySummary Of(LatencyRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        return new LatencySummary(
            recorder.Count,
            recorder.MinNs,
            recorder.MeanNs,
            recorder.PercentileNs(50),
            recorder.PercentileNs(99),
            recorder.PercentileNs(99.9),
            recorder.PercentileNs(99.99),
            recorder.MaxNs);
    }
}

/// <summary>
/// One point of a sweep, measured: its repetitions merged and reduced to the numbers a row
/// shows (a full <see cref="RunResult"/> keeps histograms of every stage, too much to hold
/// for thousands of points).
/// </summary>
/// <param name="Point">The point.</param>
/// <param name="Seed">The point's seed (repetition seeds derive from it as in <see cref="LatencyRun"/>).</param>
/// <param name="Repetitions">Repetitions run.</param>
/// <param name="Mode">Round trip or one-way delay.</param>
/// <param name="Frames">Frame counts over the repetitions.</param>
/// <param name="LossRatio">Lost / sent.</param>
/// <param name="Latency">Round trips (or one-way delays) of the measured frames.</param>
/// <param name="MaxNsPerRepetition">The maximum of each repetition.</param>
/// <param name="ExcursionEpisodes">Episodes above 1 ms.</param>
/// <param name="ExcursionsPerSecond">Episodes above 1 ms per simulated second.</param>
/// <param name="TailCauses">Causes of the frames at or above the 99.9th percentile, largest share first.</param>
/// <param name="Events">Events fired.</param>
public sealed record SweepRow(
    SweepPoint Point,
    ulong Seed,
    int Repetitions,
    TesterMode Mode,
    FrameCounts Frames,
    double LossRatio,
    LatencySummary Latency,
    IReadOnlyList<long> MaxNsPerRepetition,
    long ExcursionEpisodes,
    double ExcursionsPerSecond,
    IReadOnlyList<TailCause> TailCauses,
    long Events)
{
    /// <summary>The cause with the largest share of the tail, or null when the tail waited on nothing.</summary>
    public TailCause? TopTailCause => TailCauses.Count > 0 ? TailCauses[0] : null;

    /// <summary>The row of a point's merged run.</summary>
    public static SweepRow Of(SweepPoint point, TesterMode mode, RunResult result)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(result);
        return new SweepRow(
            point,
            result.Seed,
            result.Repetitions,
            mode,
            result.Frames,
            result.LossRatio,
            LatencySummary.Of(result.Latency),
            result.MaxNsPerRepetition,
            result.ExcursionEpisodes,
            result.ExcursionsPerSecond,
            result.TailCauses,
            result.Events);
    }
}
