using System.Collections.Concurrent;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Randomness;

namespace Kbp.Sim.Models.Experiments;

/// <summary>Progress of an RFC 2544 test, reported after every trial.</summary>
/// <param name="Trials">Trials finished so far.</param>
/// <param name="SearchesDone">Searches finished so far.</param>
/// <param name="Searches">Searches in the test (frame sizes × repetitions).</param>
public readonly record struct Rfc2544Progress(int Trials, int SearchesDone, int Searches);

/// <summary>
/// The RFC 2544 (section 26.1) throughput test on the simulator: for each frame size and
/// repetition an independent <see cref="ZeroLossSearch"/> over the offered rate, between 0 and
/// the line rate of the tester's port (the scenario's <c>nic.rate</c>, L1: preamble, SFD
/// and inter-frame gap counted). Trials are <see cref="ThroughputTrial"/>s; failing ones stop
/// at their first lost frame. Searches run in parallel across cores; each one's seed is a
/// function of (run seed, frame size, repetition) only, so the result does not depend on
/// the core count or on which other frame sizes were asked for. See <c>docs/experiments.md</c>.
/// </summary>
public static class Rfc2544
{
    /// <summary>
    /// The search gives up below this fraction of the line rate (1 Mbit/s on 10 GbE): a
    /// system that loses frames even there is reported with a zero-loss rate of 0.
    /// </summary>
    public const double FloorFraction = 1e-4;

    /// <summary>The seed of every trial of one search: a function of the run seed, the frame size and the repetition index.</summary>
    public static ulong SearchSeed(ulong seed, int frameBytes, int repetition) =>
        RandomStreams.DeriveSeed(seed, $"rfc2544/{frameBytes}B/{repetition}");

    /// <summary>
    /// Loads the scenario once per frame size through <see cref="ScenarioLoader"/>, with the
    /// frame size and the trial duration as overrides after <paramref name="overrides"/>, and
    /// the offered rate set to the line rate as L1 (each trial replaces it). The scenario's
    /// <c>traffic.rate</c> and <c>traffic.rateLayer</c> are not used.
    /// </summary>
    /// <param name="scenarioPath">The scenario file.</param>
    /// <param name="profilePath">The calibration profile, or null.</param>
    /// <param name="overrides">The <c>--set key=value</c> overrides.</param>
    /// <param name="frameSizes">Frame sizes, bytes with FCS.</param>
    /// <param name="trialNs">The measured duration of each trial.</param>
    /// <returns>The validated base scenario and one model spec per frame size, in order.</returns>
    /// <exception cref="ScenarioException">The scenario, an override or a frame size is invalid.</exception>
    public static (ScenarioSpec Scenario, IReadOnlyList<VmSpec> Specs) Prepare(
        string scenarioPath, string? profilePath, IReadOnlyList<string> overrides, IReadOnlyList<int> frameSizes, long trialNs)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(frameSizes);
        // The scenario's own rate is replaced by every trial's; a placeholder keeps it from
        // being checked against a line rate (or frame size) it will never be offered on.
        var placeholderRate = new List<string>(overrides) { "traffic.rateLayer=l1", "traffic.rate=1bps" };
        ScenarioSpec scenario = ScenarioLoader.Load(scenarioPath, profilePath, placeholderRate);
        string lineRate = $"{Ethernet.WholeRateBps(scenario.Nic.RateBps)}bps";
        var specs = new List<VmSpec>(frameSizes.Count);
        foreach (int frameBytes in frameSizes)
        {
            var atSize = new List<string>(overrides)
            {
                $"traffic.frameSize={frameBytes}B",
                "traffic.rateLayer=l1",
                $"traffic.rate={lineRate}",
                $"traffic.duration={trialNs}ns",
            };
            specs.Add(VmScenario.ToVmSpec(ScenarioLoader.Load(scenarioPath, profilePath, atSize)));
        }

        return (scenario, specs);
    }

    /// <summary>Runs the test: <paramref name="repetitions"/> searches per spec, in parallel.</summary>
    /// <param name="specs">One per frame size (its tester's frame size, duration, warm-up and line rate are used).</param>
    /// <param name="resolution">The search resolution, (0, 0.5].</param>
    /// <param name="repetitions">Independent searches per frame size.</param>
    /// <param name="seed">The run seed.</param>
    /// <param name="maxParallelism">Searches run at once; 0 for one per core.</param>
    /// <param name="progress">Called after each trial (from worker threads, one call at a time).</param>
    /// <returns>The throughput per frame size, in the order of <paramref name="specs"/>.</returns>
    public static Rfc2544Result Run(
        IReadOnlyList<VmSpec> specs, double resolution, int repetitions, ulong seed, int maxParallelism = 0, Action<Rfc2544Progress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repetitions);
        if (specs.Count == 0 || specs.Select(s => s.Tester.FrameBytes).Distinct().Count() != specs.Count)
        {
            throw new ArgumentException("give at least one spec, each with its own frame size", nameof(specs));
        }

        if (!(resolution > 0 && resolution <= ZeroLossSearch.MaxResolution))
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"the resolution must lie in (0, {ZeroLossSearch.MaxResolution}]");
        }

        int searches = specs.Count * repetitions;
        var found = new ThroughputSearch[searches];
        int trials = 0, searchesDone = 0;
        var gate = new object();
        void Report(bool searchDone)
        {
            lock (gate)
            {
                trials += searchDone ? 0 : 1;
                searchesDone += searchDone ? 1 : 0;
                progress?.Invoke(new Rfc2544Progress(trials, searchesDone, searches));
            }
        }

        // The worker that finishes a frame size's last search runs its loss-point trial at
        // once, beside the other searches still running.
        var lossPointTrials = new TrialOutcome?[specs.Count];
        var remaining = Enumerable.Repeat(repetitions, specs.Count).ToArray();
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount };
        Parallel.ForEach(Partitioner.Create(Enumerable.Range(0, searches), EnumerablePartitionerOptions.NoBuffering), options, i =>
        {
            int f = i / repetitions;
            found[i] = Search(specs[f], i % repetitions, resolution, seed, () => Report(searchDone: false));
            if (Interlocked.Decrement(ref remaining[f]) == 0)
            {
                lossPointTrials[f] = LossPointTrial(specs[f], found.AsSpan(f * repetitions, repetitions));
            }

            Report(searchDone: true);
        });

        var frameSizes = new List<ThroughputAtFrameSize>(specs.Count);
        for (int f = 0; f < specs.Count; f++)
        {
            frameSizes.Add(new ThroughputAtFrameSize(
                specs[f].Tester.FrameBytes,
                Ethernet.WholeRateBps(specs[f].Tester.LineRateBps),
                found.AsSpan(f * repetitions, repetitions).ToArray(),
                lossPointTrials[f]));
        }

        return new Rfc2544Result(seed, resolution, specs[0].Tester.DurationNs, repetitions, frameSizes);
    }

    /// <summary>
    /// A full-length trial at the lowest loss point of <paramref name="searches"/> (the first
    /// repetition on a tie), with that repetition's seed; null when every search passed at the line rate.
    /// </summary>
    private static TrialOutcome? LossPointTrial(VmSpec spec, ReadOnlySpan<ThroughputSearch> searches)
    {
        ThroughputSearch? lowest = null;
        foreach (ThroughputSearch s in searches)
        {
            if (s.LossPointBps is long p && (lowest is null || p < lowest.LossPointBps))
            {
                lowest = s;
            }
        }

        return lowest is null ? null : ThroughputTrial.Run(spec, lowest.LossPointBps!.Value, lowest.Seed, stopAtFirstLoss: false);
    }

    /// <summary>One repetition's search at one frame size; every trial uses the search's seed.</summary>
    public static ThroughputSearch Search(VmSpec spec, int repetition, double resolution, ulong seed, Action? afterTrial = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int frameBytes = spec.Tester.FrameBytes;
        ulong searchSeed = SearchSeed(seed, frameBytes, repetition);
        long lineRateBps = Ethernet.WholeRateBps(spec.Tester.LineRateBps);
        long floorBps = Math.Max(1, (long)(lineRateBps * FloorFraction));
        var outcomes = new List<TrialOutcome>();
        ZeroLossSearchResult result = ZeroLossSearch.Run(lineRateBps, resolution, floorBps, rateBps =>
        {
            TrialOutcome outcome = ThroughputTrial.Run(spec, rateBps, searchSeed, stopAtFirstLoss: true);
            outcomes.Add(outcome);
            afterTrial?.Invoke();
            return outcome.Passed;
        });
        return new ThroughputSearch(frameBytes, repetition, searchSeed, result.ZeroLossRateBps, result.LossPointBps, outcomes);
    }
}
