using Kbp.Sim.Models.Hardware;

namespace Kbp.Sim.Models.Experiments;

/// <summary>One repetition's throughput search at one frame size.</summary>
/// <param name="FrameBytes">The frame size.</param>
/// <param name="Repetition">The repetition index.</param>
/// <param name="Seed">The seed of every trial of this search.</param>
/// <param name="ZeroLossRateBps">The highest rate that passed (L1 bit/s); 0 when none did.</param>
/// <param name="LossPointBps">The lowest rate that failed (L1 bit/s), or null when the line rate passed.</param>
/// <param name="Trials">Every trial, in the order run.</param>
public sealed record ThroughputSearch(
    int FrameBytes,
    int Repetition,
    ulong Seed,
    long ZeroLossRateBps,
    long? LossPointBps,
    IReadOnlyList<TrialOutcome> Trials);

/// <summary>The zero-loss throughput at one frame size, over the repetitions.</summary>
/// <param name="FrameBytes">The frame size.</param>
/// <param name="LineRateBps">The line rate searched up to (L1 bit/s).</param>
/// <param name="Searches">One search per repetition, in repetition order.</param>
/// <param name="LossPointTrial">
/// A full-length trial (no early stop) at <see cref="LossPointBps"/> with the seed of the
/// repetition that found it: where frames are dropped just above the throughput. Null when
/// every repetition passed at the line rate.
/// </param>
public sealed record ThroughputAtFrameSize(
    int FrameBytes,
    long LineRateBps,
    IReadOnlyList<ThroughputSearch> Searches,
    TrialOutcome? LossPointTrial)
{
    /// <summary>Mean over repetitions of the zero-loss rate (L1 bit/s).</summary>
    public double MeanZeroLossRateBps => Searches.Average(s => (double)s.ZeroLossRateBps);

    /// <summary>Lowest zero-loss rate of a repetition (L1 bit/s).</summary>
    public long MinZeroLossRateBps => Searches.Min(s => s.ZeroLossRateBps);

    /// <summary>Highest zero-loss rate of a repetition (L1 bit/s).</summary>
    public long MaxZeroLossRateBps => Searches.Max(s => s.ZeroLossRateBps);

    /// <summary>The mean zero-loss rate in frames per second.</summary>
    public double MeanFramesPerSecond => Ethernet.FrameRatePps(MeanZeroLossRateBps, FrameBytes);

    /// <summary>The mean zero-loss rate counting frame bits only (L2 bit/s).</summary>
    public double MeanL2RateBps => Ethernet.L2RateBps(MeanZeroLossRateBps, FrameBytes);

    /// <summary>The lowest rate at which any repetition's trial lost frames (L1 bit/s), or null.</summary>
    public long? LossPointBps => Searches.Min(s => s.LossPointBps);

    /// <summary>Trials run by the searches (the loss-point trial not included).</summary>
    public int TrialCount => Searches.Sum(s => s.Trials.Count);
}

/// <summary>An RFC 2544 throughput test: every frame size, every repetition.</summary>
/// <param name="Seed">The run seed.</param>
/// <param name="Resolution">The search's relative resolution, (0, 0.5].</param>
/// <param name="TrialNs">The measured duration of a trial.</param>
/// <param name="Repetitions">Searches per frame size.</param>
/// <param name="FrameSizes">The results, in the order the frame sizes were given.</param>
public sealed record Rfc2544Result(
    ulong Seed,
    double Resolution,
    long TrialNs,
    int Repetitions,
    IReadOnlyList<ThroughputAtFrameSize> FrameSizes)
{
    /// <summary>Events fired by every trial, loss-point trials included.</summary>
    public long Events => FrameSizes.Sum(f => f.Searches.Sum(s => s.Trials.Sum(t => t.Events)) + (f.LossPointTrial?.Events ?? 0));
}
