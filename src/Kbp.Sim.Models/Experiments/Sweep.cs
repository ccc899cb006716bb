using System.Collections.Concurrent;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Models.Experiments;

/// <summary>A sweep point with its validated scenario, ready to run.</summary>
/// <param name="Point">The point.</param>
/// <param name="Scenario">The scenario with the point's values applied.</param>
/// <param name="Spec">Its model parameters.</param>
/// <param name="Seed">The point's seed: <see cref="SweepPoint.Seed"/> of the scenario's <c>traffic.seed</c> and the point's id.</param>
public sealed record PlannedPoint(SweepPoint Point, ScenarioSpec Scenario, VmSpec Spec, ulong Seed);

/// <summary>Progress of a sweep, reported after every repetition.</summary>
/// <param name="RunsDone">Repetitions finished, over all points.</param>
/// <param name="Runs">Repetitions in the sweep.</param>
/// <param name="PointsDone">Points whose repetitions are all finished.</param>
/// <param name="Points">Points in the sweep.</param>
public readonly record struct SweepProgress(int RunsDone, int Runs, int PointsDone, int Points);

/// <summary>
/// A parameter sweep: the cartesian product of <see cref="SweepAxis"/> values, each point a
/// latency run (<see cref="LatencyRun"/>) of the scenario with the point's values appended
/// to the overrides. Every (point, repetition) pair is one work item and all run in one
/// parallel loop over the cores, so a sweep of few points with many repetitions and one of
/// many points with one repetition both keep the cores busy without oversubscribing them.
/// A point's seed depends on the run seed and its id only, and repetition seeds on the
/// point's seed and the index only, so rows do not depend on the core count, on the order
/// the work ran or on the other points of the sweep. See <c>docs/experiments.md</c>.
/// </summary>
public static class Sweep
{
    /// <summary>
    /// Loads and validates every point's scenario before anything runs: the scenario, the
    /// profile, <paramref name="overrides"/> and then the point's values.
    /// </summary>
    /// <param name="scenarioPath">The scenario file.</param>
    /// <param name="profilePath">The calibration profile, or null.</param>
    /// <param name="overrides">The <c>--set key=value</c> overrides (shorthands included).</param>
    /// <param name="axes">The varied keys.</param>
    /// <returns>The points in enumeration order.</returns>
    /// <exception cref="ScenarioException">
    /// The first invalid point's problem; when it involves a varied key, the line starts with
    /// <c>sweep point ID:</c>.
    /// </exception>
    public static IReadOnlyList<PlannedPoint> Plan(string scenarioPath, string? profilePath, IReadOnlyList<string> overrides, IReadOnlyList<SweepAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        IReadOnlyList<SweepPoint> points = SweepPoint.Enumerate(axes);
        var planned = new List<PlannedPoint>(points.Count);
        foreach (SweepPoint point in points)
        {
            ScenarioSpec scenario;
            try
            {
                scenario = ScenarioLoader.Load(scenarioPath, profilePath, [.. overrides, .. point.Overrides]);
            }
            catch (ScenarioException e)
            {
                throw new ScenarioException(e.Errors.Select(error => InPoint(error, point, axes)).ToList());
            }

            planned.Add(new PlannedPoint(point, scenario, VmScenario.ToVmSpec(scenario), SweepPoint.Seed(scenario.Traffic.Seed, point.Id)));
        }

        return planned;
    }

    /// <summary>Runs every point's repetitions, in parallel, and returns one row per point in point order.</summary>
    /// <param name="points">The planned points.</param>
    /// <param name="maxParallelism">Repetitions run at once; 0 for one per core.</param>
    /// <param name="progress">Called after each repetition (from worker threads, one call at a time).</param>
    /// <param name="pointDone">Called with each point's row as soon as its last repetition is merged (from worker threads, one call at a time), so a sharded run can keep its finished points.</param>
    /// <returns>The rows, in the order of <paramref name="points"/>.</returns>
    public static IReadOnlyList<SweepRow> Run(IReadOnlyList<PlannedPoint> points, int maxParallelism = 0, Action<SweepProgress>? progress = null, Action<SweepRow>? pointDone = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        var work = new List<(int Point, int Repetition, double Cost)>();
        var repetitions = new RepetitionResult?[points.Count][];
        var remaining = new int[points.Count];
        for (int p = 0; p < points.Count; p++)
        {
            int reps = points[p].Scenario.Traffic.Repetitions;
            repetitions[p] = new RepetitionResult?[reps];
            remaining[p] = reps;
            TesterOptions t = points[p].Spec.Tester;
            double frames = Ethernet.FrameRatePps(t.OfferedL1RateBps, t.FrameBytes) * (t.WarmupNs + t.DurationNs) / 1e9;
            for (int r = 0; r < reps; r++)
            {
                work.Add((p, r, frames));
            }
        }

        // Longest first (by frames offered), so that no long run starts last; the order
        // changes only the wall time, never a result.
        int[] order = Enumerable.Range(0, work.Count).OrderByDescending(i => work[i].Cost).ThenBy(i => i).ToArray();
        var rows = new SweepRow?[points.Count];
        int runsDone = 0, pointsDone = 0;
        var gate = new object();
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount };
        Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering), options, i =>
        {
            (int p, int r, _) = work[i];
            PlannedPoint point = points[p];
            repetitions[p][r] = LatencyRun.RunOne(point.Spec, LatencyRun.RepetitionSeed(point.Seed, r));
            bool finished = Interlocked.Decrement(ref remaining[p]) == 0;
            if (finished)
            {
                RunResult merged = RunResult.Merge(point.Seed, repetitions[p].Select(x => x!).ToList());
                rows[p] = SweepRow.Of(point.Point, point.Spec.Tester.Mode, merged);
                repetitions[p] = [];
            }

            lock (gate)
            {
                runsDone++;
                pointsDone += finished ? 1 : 0;
                if (finished)
                {
                    pointDone?.Invoke(rows[p]!);
                }

                progress?.Invoke(new SweepProgress(runsDone, work.Count, pointsDone, points.Count));
            }
        });

        return rows.Select(r => r!).ToList();
    }

    /// <summary>
    /// An error that involves a varied key names the point; one whose value came from the
    /// point's overrides says <c>--vary</c> rather than <c>--set</c>.
    /// </summary>
    private static ScenarioError InPoint(ScenarioError error, SweepPoint point, IReadOnlyList<SweepAxis> axes)
    {
        // The error's key is the varied key, lies below it, or is the part of it that is unknown.
        bool IsVaried(string key)
        {
            string dotted = ScenarioKeys.Dotted(key);
            return axes.Any(a =>
                string.Equals(dotted, a.Key, StringComparison.OrdinalIgnoreCase)
                || dotted.StartsWith(a.Key + ".", StringComparison.OrdinalIgnoreCase)
                || a.Key.StartsWith(dotted + ".", StringComparison.OrdinalIgnoreCase));
        }

        if (!error.KeyPaths.Any(IsVaried))
        {
            return error;
        }

        string line = error.Line;
        string setPrefix = ScenarioError.SetSource + ": ";
        if (error.Source == ScenarioError.SetSource && error.KeyPath is string first && IsVaried(first) && line.StartsWith(setPrefix, StringComparison.Ordinal))
        {
            line = "--vary: " + line[setPrefix.Length..];
        }

        return error with { Line = $"sweep point {point.Id}: {line}" };
    }
}
