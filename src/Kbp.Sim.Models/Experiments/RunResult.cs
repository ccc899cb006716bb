using Kbp.Sim.Models.Packets;
using Kbp.Sim.Statistics;
using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Experiments;

/// <summary>A cause's share of the delay of the tail frames.</summary>
/// <param name="Cause">The mechanism.</param>
/// <param name="Share">Its fraction of the tail frames' total waiting, 0..1.</param>
public readonly record struct TailCause(WaitCause Cause, double Share);

/// <summary>Frame counts over all repetitions, as a tester reports them.</summary>
/// <param name="Offered">Frames the pattern generated after warm-up.</param>
/// <param name="Sent">Frames that left the tester.</param>
/// <param name="Received">Frames that came back.</param>
/// <param name="Lost">Frames dropped somewhere.</param>
/// <param name="InFlight">Frames neither back nor dropped when the run ended.</param>
/// <param name="LostByReason">Lost frames by drop site.</param>
public sealed record FrameCounts(long Offered, long Sent, long Received, long Lost, long InFlight, IReadOnlyDictionary<DropReason, long> LostByReason);

/// <summary>The result of a latency run: all repetitions merged, in repetition order.</summary>
public sealed record RunResult
{
    /// <summary>Round trips of all measured frames.</summary>
    public required LatencyRecorder Latency { get; init; }

    /// <summary>The maximum round trip of each repetition.</summary>
    public required IReadOnlyList<long> MaxNsPerRepetition { get; init; }

    /// <summary>Frame counts.</summary>
    public required FrameCounts Frames { get; init; }

    /// <summary>Per-stage delays, in path order.</summary>
    public required IReadOnlyList<LatencyRecorder> Stages { get; init; }

    /// <summary>
    /// Per stage, in path order: the causes of its delays above 1 ms (the largest wait in
    /// the stage), most frequent first.
    /// </summary>
    public required IReadOnlyList<IReadOnlyList<(WaitCause Cause, long Count)>> StageCausesAbove1ms { get; init; }

    /// <summary>Causes of the frames at or above the 99.9th percentile, largest share first.</summary>
    public required IReadOnlyList<TailCause> TailCauses { get; init; }

    /// <summary>Episodes of round trips above 1 ms, over all repetitions.</summary>
    public required long ExcursionEpisodes { get; init; }

    /// <summary>Episodes of round trips above 1 ms per simulated second.</summary>
    public required double ExcursionsPerSecond { get; init; }

    /// <summary>Events fired, over all repetitions.</summary>
    public required long Events { get; init; }

    /// <summary>Repetitions run.</summary>
    public required int Repetitions { get; init; }

    /// <summary>The run seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Lost / sent.</summary>
    public double LossRatio => Frames.Sent == 0 ? 0 : (double)Frames.Lost / Frames.Sent;

    /// <summary>Merges repetitions, in order.</summary>
    public static RunResult Merge(ulong seed, IReadOnlyList<RepetitionResult> repetitions)
    {
        ArgumentNullException.ThrowIfNull(repetitions);
        var latency = new LatencyRecorder("rtt");
        var stages = repetitions[0].Stages.Select(s => new LatencyRecorder(s.Name)).ToList();
        var lostByReason = Enum.GetValues<DropReason>().ToDictionary(r => r, _ => 0L);
        long offered = 0, sent = 0, received = 0, lost = 0, inFlight = 0, episodes = 0, measuredNs = 0, events = 0;
        var slowest = new List<SlowFrame>();
        int causeCount = Enum.GetValues<WaitCause>().Length;
        var stageCauses = stages.Select(_ => new long[causeCount]).ToList();
        foreach (RepetitionResult r in repetitions)
        {
            latency.Add(r.Tester.Latency);
            for (int i = 0; i < stages.Count; i++)
            {
                stages[i].Add(r.Stages[i]);
                for (int c = 0; c < causeCount; c++)
                {
                    stageCauses[i][c] += r.StageCausesAbove1ms[i][c];
                }
            }

            offered += r.Tester.Offered;
            sent += r.Tester.Sent;
            received += r.Tester.Received;
            lost += r.Tester.Lost;
            inFlight += r.Tester.InFlight;
            foreach (DropReason reason in Enum.GetValues<DropReason>())
            {
                lostByReason[reason] += r.Tester.LostAt(reason);
            }

            episodes += r.ExcursionEpisodes;
            measuredNs += r.MeasuredNs;
            events += r.Events;
            slowest.AddRange(r.Slowest);
        }

        return new RunResult
        {
            Latency = latency,
            MaxNsPerRepetition = repetitions.Select(r => r.Tester.Latency.MaxNs).ToList(),
            Frames = new FrameCounts(offered, sent, received, lost, inFlight, lostByReason),
            Stages = stages,
            StageCausesAbove1ms = stageCauses
                .Select(counts => (IReadOnlyList<(WaitCause, long)>)counts
                    .Select((n, c) => ((WaitCause)c, n))
                    .Where(x => x.n > 0)
                    .OrderByDescending(x => x.n)
                    .ThenBy(x => x.Item1)
                    .ToList())
                .ToList(),
            TailCauses = TailCausesOf(slowest, latency.PercentileNs(99.9)),
            ExcursionEpisodes = episodes,
            ExcursionsPerSecond = measuredNs == 0 ? 0 : episodes / ((double)measuredNs / SimTime.NsPerS),
            Events = events,
            Repetitions = repetitions.Count,
            Seed = seed,
        };
    }

    private static List<TailCause> TailCausesOf(List<SlowFrame> slowest, long thresholdNs)
    {
        int causes = Enum.GetValues<WaitCause>().Length;
        var totals = new double[causes];
        foreach (SlowFrame frame in slowest)
        {
            if (frame.RttNs < thresholdNs)
            {
                continue;
            }

            for (int c = 0; c < causes; c++)
            {
                totals[c] += frame.WaitNsByCause[c];
            }
        }

        double sum = totals.Sum();
        var shares = new List<TailCause>();
        for (int c = 0; c < causes; c++)
        {
            if (sum > 0 && totals[c] > 0)
            {
                shares.Add(new TailCause((WaitCause)c, totals[c] / sum));
            }
        }

        return shares.OrderByDescending(s => s.Share).ThenBy(s => s.Cause).ToList();
    }
}
