using System.Collections.Concurrent;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Models.Experiments;

/// <summary>Progress of a capacity run, reported after every trial.</summary>
/// <param name="Trials">Trials finished (speculative and boundary trials included).</param>
/// <param name="Done">Searches or grid cells finished.</param>
/// <param name="Total">Searches or grid cells in the run.</param>
public readonly record struct CapacityProgress(int Trials, int Done, int Total);

/// <summary>
/// Capacity planning on the simulator (<c>kbp-sim capacity</c>, <c>docs/capacity.md</c>):
/// the smallest frame size that meets a service-level objective at a rate, the highest rate
/// that meets it at a frame size, or a pass/fail map of a grid, each beside the analytic
/// first estimate of <see cref="StageBudget"/>. A search starts from the analytic bracket
/// and bisects (<see cref="CapacitySearch"/>); failing trials stop at their first violation
/// (<see cref="CapacityTrial"/>). Searches and grid cells run in parallel; a trial's seed is
/// a function of the run seed and its point only, so every answer is independent of the
/// core count and of the other questions asked in the same run.
/// </summary>
public static partial class Capacity
{
    /// <summary>The largest frame size a frame-size search tries (untagged Ethernet).</summary>
    public const int MaxSearchFrameBytes = Ethernet.MaxFrameBytes;

    /// <summary>The rate search gives up below this fraction of the line rate and reports no rate.</summary>
    public const double RateFloorFraction = 1e-4;

    /// <summary>The candidates of a frame-size search: 64, 64 + step, ... up to 1518, and 1518.</summary>
    public static IReadOnlyList<int> FrameSizeCandidates(int stepBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepBytes);
        var sizes = new List<int>();
        for (int f = Ethernet.MinFrameBytes; f <= MaxSearchFrameBytes; f += stepBytes)
        {
            sizes.Add(f);
        }

        if (sizes[^1] != MaxSearchFrameBytes)
        {
            sizes.Add(MaxSearchFrameBytes);
        }

        return sizes;
    }

    /// <summary>
    /// The candidates of a rate search, ascending: <paramref name="maxBps"/>·(1 − resolution)^k,
    /// whole bit/s, down to <see cref="RateFloorFraction"/> of it.
    /// </summary>
    public static IReadOnlyList<long> RateCandidates(long maxBps, double resolution)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBps);
        if (!(resolution > 0 && resolution <= ZeroLossSearch.MaxResolution))
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"the resolution must lie in (0, {ZeroLossSearch.MaxResolution}]");
        }

        var rates = new List<long>();
        double floor = Math.Max(1, maxBps * RateFloorFraction);
        for (int k = 0; ; k++)
        {
            long rate = k == 0 ? maxBps : (long)Math.Floor(maxBps * Math.Pow(1 - resolution, k));
            if (rate < floor)
            {
                break;
            }

            if (rates.Count == 0 || rate < rates[^1])
            {
                rates.Add(rate);
            }
        }

        rates.Reverse();
        return rates;
    }

    /// <summary>The frame-size limit at each of <paramref name="ratesBps"/> (counted at the setup's rate layer), searches in parallel.</summary>
    public static CapacityResult FrameSizeLimits(
        CapacitySetup setup, Slo slo, IReadOnlyList<long> ratesBps, int stepBytes, int maxParallelism = 0, Action<CapacityProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(ratesBps);
        IReadOnlyList<int> sizes = FrameSizeCandidates(stepBytes);
        var runner = new Runner(setup, slo, maxParallelism, ratesBps.Count, progress);
        CapacityAnswer[] answers = runner.ForEach(ratesBps, rate => runner.FrameSizeSearch(rate, sizes));
        return new CapacityResult(setup.Scenario.Name, CapacityQuestion.FrameSizeLimit, slo, setup.Seed, setup.TrialNs, stepBytes, 0, setup.Budget, answers, null);
    }

    /// <summary>The highest rate at each of <paramref name="frameSizes"/>, searches in parallel.</summary>
    public static CapacityResult MaxRates(
        CapacitySetup setup, Slo slo, IReadOnlyList<int> frameSizes, double resolution, int maxParallelism = 0, Action<CapacityProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(frameSizes);
        var runner = new Runner(setup, slo, maxParallelism, frameSizes.Count, progress);
        CapacityAnswer[] answers = runner.ForEach(frameSizes, size => runner.RateSearch(size, resolution));
        return new CapacityResult(setup.Scenario.Name, CapacityQuestion.MaxRate, slo, setup.Seed, setup.TrialNs, 0, resolution, setup.Budget, answers, null);
    }

    /// <summary>The trials of one run: a cache by point, the workers, the progress.</summary>
    private sealed class Runner(CapacitySetup setup, Slo slo, int maxParallelism, int total, Action<CapacityProgress>? progress)
    {
        private readonly ConcurrentDictionary<CapacityPoint, Lazy<CapacityTrialOutcome>> _trials = new();
        private readonly object _gate = new();
        private readonly int _workers = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount;
        private int _trialsDone;
        private int _done;
        private int _active;

        public TResult[] ForEach<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> body)
        {
            var results = new TResult[items.Count];
            var options = new ParallelOptions { MaxDegreeOfParallelism = _workers };
            Parallel.ForEach(Partitioner.Create(Enumerable.Range(0, items.Count), EnumerablePartitionerOptions.NoBuffering), options, i =>
            {
                Interlocked.Increment(ref _active);
                try
                {
                    results[i] = body(items[i]);
                }
                finally
                {
                    Interlocked.Decrement(ref _active);
                }

                lock (_gate)
                {
                    _done++;
                    progress?.Invoke(new CapacityProgress(_trialsDone, _done, total));
                }
            });
            return results;
        }

        /// <summary>The trial at <paramref name="point"/>, run once per run whoever asks.</summary>
        public CapacityTrialOutcome Trial(CapacityPoint point) =>
            _trials.GetOrAdd(point, p => new Lazy<CapacityTrialOutcome>(() => Counted(CapacityTrial.Run(setup.SpecFor(p.FrameBytes), p, setup.Seed, slo)))).Value;

        public CapacityAnswer FrameSizeSearch(long rateBps, IReadOnlyList<int> sizes)
        {
            bool l1 = setup.RateIsL1;
            StageBudget b = setup.Budget;
            int n = sizes.Count;

            // Candidate i is sizes[n - 1 - i]: index 0 is the largest (easiest) frame size.
            int IndexOf(int size) => n - 1 - ListIndex(sizes, size);
            double optimistic = b.FrameSizeLimitBytes(rateBps, l1, conservative: false);
            double conservative = b.FrameSizeLimitBytes(rateBps, l1, conservative: true);
            int? gridPass = SmallestAtLeast(sizes, conservative);
            int? gridOptimistic = SmallestAtLeast(sizes, optimistic);
            int expectPass = gridPass is int p ? IndexOf(p) : 0;
            int expectFail = gridOptimistic is int o ? IndexOf(o) + 1 : 0;
            CapacitySearchResult r = CapacitySearch.Run(n, expectPass, expectFail, i => Trial(new CapacityPoint(sizes[n - 1 - i], rateBps, l1)).Passed, Width);
            int? answer = r.Answer >= 0 ? sizes[n - 1 - r.Answer] : null;
            int? failing = r.FirstFailing < n ? sizes[n - 1 - r.FirstFailing] : null;
            int? steps = null;
            if (answer is int a && gridOptimistic is int lo)
            {
                int hi = gridPass ?? sizes[^1];
                int ia = ListIndex(sizes, a);
                steps = ia < ListIndex(sizes, lo) ? ListIndex(sizes, lo) - ia : ia > ListIndex(sizes, hi) ? ia - ListIndex(sizes, hi) : 0;
            }

            int at = (int)Math.Clamp(Math.Ceiling(Math.Min(conservative, MaxSearchFrameBytes)), Ethernet.MinFrameBytes, MaxSearchFrameBytes);
            var estimate = new AnalyticEstimate(
                optimistic,
                conservative,
                b.FrameSizeLimitBytes(rateBps, !l1, conservative: false),
                b.FrameSizeLimitBytes(rateBps, !l1, conservative: true),
                Bottleneck(b, at, conservative: true),
                (b.FrameNs(at, conservative: false), b.FrameNs(at, conservative: true)),
                gridOptimistic,
                gridPass);
            return Answer(0, rateBps, estimate, answer, failing, steps, r, i => new CapacityPoint(sizes[n - 1 - i], rateBps, l1));
        }

        public CapacityAnswer RateSearch(int frameBytes, double resolution)
        {
            bool l1 = setup.RateIsL1;
            StageBudget b = setup.Budget;
            _ = setup.SpecFor(frameBytes);
            long line = setup.LineRateBps;
            long maxBps = l1 ? line : (long)Math.Floor(Ethernet.L2RateBps(line, frameBytes));
            IReadOnlyList<long> rates = RateCandidates(maxBps, resolution);
            int n = rates.Count;
            double optimistic = b.MaxRateBps(frameBytes, l1, conservative: false);
            double conservative = b.MaxRateBps(frameBytes, l1, conservative: true);
            int passIndex = LargestAtMost(rates, conservative);
            int optimisticIndex = LargestAtMost(rates, optimistic);
            int expectPass = Math.Max(passIndex, 0);
            int expectFail = optimisticIndex + 1;
            CapacitySearchResult r = CapacitySearch.Run(n, expectPass, expectFail, i => Trial(new CapacityPoint(frameBytes, rates[i], l1)).Passed, Width);
            double? answer = r.Answer >= 0 ? rates[r.Answer] : null;
            double? failing = r.FirstFailing < n ? rates[r.FirstFailing] : null;
            int? steps = null;
            if (r.Answer >= 0 && optimisticIndex >= 0)
            {
                int lo = Math.Max(passIndex, 0);
                steps = r.Answer < lo ? lo - r.Answer : r.Answer > optimisticIndex ? r.Answer - optimisticIndex : 0;
            }

            var estimate = new AnalyticEstimate(
                optimistic,
                conservative,
                b.MaxRateBps(frameBytes, !l1, conservative: false),
                b.MaxRateBps(frameBytes, !l1, conservative: true),
                Bottleneck(b, frameBytes, conservative: true),
                (b.FrameNs(frameBytes, conservative: false), b.FrameNs(frameBytes, conservative: true)),
                optimisticIndex >= 0 ? rates[optimisticIndex] : null,
                passIndex >= 0 ? rates[passIndex] : null);
            return Answer(frameBytes, 0, estimate, answer, failing, steps, r, i => new CapacityPoint(frameBytes, rates[i], l1));
        }

        private CapacityAnswer Answer(
            int fixedFrameBytes, long fixedRateBps, AnalyticEstimate estimate, double? answer, double? failing, int? steps, CapacitySearchResult r, Func<int, CapacityPoint> pointOf)
        {
            // What breaks just beyond the answer: the failing neighbour again, to its end, with the model's counters.
            CapacityTrialOutcome? boundary = null;
            if (failing is not null)
            {
                CapacityPoint p = pointOf(r.FirstFailing);
                boundary = Counted(CapacityTrial.Run(setup.SpecFor(p.FrameBytes), p, setup.Seed, slo, fullLength: true));
            }

            var trials = r.Probes.Select(probe => Trial(pointOf(probe.Index))).ToList();
            CapacityTrialOutcome? atAnswer = r.Answer >= 0 ? Trial(pointOf(r.Answer)) : null;
            return new CapacityAnswer(fixedFrameBytes, fixedRateBps, setup.RateIsL1, estimate, answer, failing, steps, atAnswer, boundary, trials, r.Speculative);
        }

        /// <summary>Trials a search may run at once: the workers not busy with other searches.</summary>
        private int Width() => Math.Max(1, _workers - Math.Max(0, Volatile.Read(ref _active) - 1));

        private CapacityTrialOutcome Counted(CapacityTrialOutcome outcome)
        {
            lock (_gate)
            {
                _trialsDone++;
                progress?.Invoke(new CapacityProgress(_trialsDone, _done, total));
            }

            return outcome;
        }

        private static string Bottleneck(StageBudget b, int frameBytes, bool conservative)
        {
            if (b.LineLimited(frameBytes, conservative))
            {
                return $"NIC line ({Units.FormatRate(b.LineRateBps)})";
            }

            CpuLoad cpu = b.BusiestCpu(conservative);
            return $"{cpu.Names} on {cpu.Where}";
        }

        private static int ListIndex(IReadOnlyList<int> sizes, int size)
        {
            for (int i = 0; i < sizes.Count; i++)
            {
                if (sizes[i] == size)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The smallest size at or above <paramref name="bytes"/>, or null.</summary>
        private static int? SmallestAtLeast(IReadOnlyList<int> sizes, double bytes)
        {
            foreach (int s in sizes)
            {
                if (s >= bytes - 1e-9)
                {
                    return s;
                }
            }

            return null;
        }

        /// <summary>The index of the largest rate at or below <paramref name="bps"/>, or -1.</summary>
        private static int LargestAtMost(IReadOnlyList<long> rates, double bps)
        {
            int found = -1;
            for (int i = 0; i < rates.Count && rates[i] <= bps + 1e-6; i++)
            {
                found = i;
            }

            return found;
        }
    }
}
