using System.CommandLine;
using System.Diagnostics;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Scenarios;

namespace Kbp.Sim.Cli.Commands;

/// <summary><c>kbp-sim sweep FILE --vary key=v1,v2,...</c>: one latency run per point of a parameter grid.</summary>
internal static class SweepCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "Scenario file (.yaml, .yml or .json)." };
        var vary = new Option<string[]>("--vary") { Description = "A key and its values: --vary traffic.rate=80Mbps,1Gbps (repeatable; the sweep is the cartesian product, the first --vary varying slowest).", AllowMultipleArgumentsPerToken = false };
        var set = new Option<string[]>("--set") { Description = "Override a key for every point: --set traffic.pattern=poisson (repeatable; --vary wins).", AllowMultipleArgumentsPerToken = false };
        var profile = new Option<string?>("--profile") { Description = "Calibration profile (YAML/JSON); overrides the scenario's 'profile' key." };
        var seed = new Option<string?>("--seed") { Description = "Run seed (shorthand for --set traffic.seed=S); each point's seed derives from it and the point's id." };
        var duration = new Option<string?>("--duration") { Description = "Measured duration per repetition, e.g. 5s (shorthand for --set traffic.duration=T)." };
        var repetitions = new Option<string?>("--repetitions") { Description = "Repetitions per point (shorthand for --set traffic.repetitions=R)." };
        var json = new Option<string?>("--json") { Description = "Write the points as JSON to this file." };
        var csv = new Option<string?>("--csv") { Description = "Write one CSV row per point to this file." };
        var plot = new Option<string?>("--plot") { Description = "Write sweep.png/.svg (p99, p99.9 and maximum per point, log axis) into this existing directory." };
        var shard = new Option<string?>("--shard") { Description = "Run only the points whose index is K modulo N and write them as a part file for 'kbp-sim merge': --shard K/N (docs/scaling.md)." };
        var partsDir = new Option<string?>("--parts") { Description = "With --shard: the existing directory for part-K-of-N.jsonl (default: --resume's directory, else the current one)." };
        var resume = new Option<string?>("--resume") { Description = "With --shard: skip the points whose results this directory's part files already hold." };

        var sweep = new Command("sweep", "Run a scenario at every point of a grid of key values, in parallel, and report one row per point.")
        {
            file, vary, set, profile, seed, duration, repetitions, json, csv, plot, shard, partsDir, resume,
        };
        sweep.SetAction(result =>
        {
            if (!SweepAxis.TryParseAll(result.GetValue(vary) ?? [], out IReadOnlyList<SweepAxis>? axes, out string? problem))
            {
                error.WriteLine($"kbp-sim: {problem}");
                return ExitCodes.BadInput;
            }

            long count = SweepPoint.CountOf(axes);
            if (count > SweepPoint.MaxPoints)
            {
                error.WriteLine($"kbp-sim: the --vary lists make {count} points; at most {SweepPoint.MaxPoints} are allowed");
                return ExitCodes.BadInput;
            }

            var overrides = new List<string>(result.GetValue(set) ?? []);
            AddShorthand(overrides, "traffic.seed", result.GetValue(seed));
            AddShorthand(overrides, "traffic.duration", result.GetValue(duration));
            AddShorthand(overrides, "traffic.repetitions", result.GetValue(repetitions));
            IReadOnlyList<PlannedPoint> points;
            try
            {
                points = Sweep.Plan(result.GetValue(file)!, result.GetValue(profile), overrides, axes);
            }
            catch (ScenarioException e)
            {
                error.WriteLine($"kbp-sim: {e.OneLine}");
                return ExitCodes.BadInput;
            }

            string? jsonPath = result.GetValue(json);
            string? csvPath = result.GetValue(csv);
            string? plotDir = result.GetValue(plot);
            if (OutputPaths.ProblemWithPlot(plotDir, jsonPath, csvPath) is string pathProblem)
            {
                error.WriteLine($"kbp-sim: {pathProblem}");
                return ExitCodes.BadInput;
            }

            if (result.GetValue(shard) is not null || result.GetValue(partsDir) is not null || result.GetValue(resume) is not null)
            {
                return SweepShardRun.Run(output, error, points, axes, overrides, result.GetValue(shard), result.GetValue(partsDir), result.GetValue(resume), jsonPath is not null || csvPath is not null || plotDir is not null);
            }

            var wall = Stopwatch.StartNew();
            ProgressLine progress = ProgressLine.For(error);
            IReadOnlyList<SweepRow> rows = Sweep.Run(points, progress: p => progress.Show(
                $"sweep: runs {ProgressLine.Fraction(p.RunsDone, p.Runs)}, points {p.PointsDone}/{p.Points}, {progress.Timing(p.RunsDone, p.Runs)}", force: p.RunsDone == p.Runs));
            progress.Clear();

            string scenarioName = points[0].Scenario.Name;
            SweepTable.Write(output, scenarioName, axes, rows, wall.Elapsed.TotalSeconds);
            try
            {
                if (jsonPath is not null)
                {
                    ulong[] seeds = points.Select(p => p.Scenario.Traffic.Seed).Distinct().ToArray();
                    AtomicFile.Write(jsonPath, w => SweepJson.Write(w, scenarioName, seeds.Length == 1 ? seeds[0] : null, axes, rows));
                }

                if (csvPath is not null)
                {
                    AtomicFile.Write(csvPath, w => SweepCsv.Write(w, axes, rows));
                }

                if (plotDir is not null)
                {
                    string[] labels = rows.Select(r => string.Join(", ", r.Point.Values.Select(kv => kv.Value))).ToArray();
                    Plots.PlotFiles.Save(
                        Plots.Charts.PointBars(
                            labels,
                            [("p99", rows.Select(r => (double)r.Latency.P99Ns).ToArray()), ("p99.9", rows.Select(r => (double)r.Latency.P999Ns).ToArray()), ("max", rows.Select(r => (double)r.Latency.MaxNs).ToArray())],
                            $"{scenarioName}: sweep of {string.Join(" x ", axes.Select(a => a.Key))}",
                            "round trip (log scale)",
                            logTime: true),
                        plotDir,
                        "sweep",
                        Math.Max(1000, 90 * rows.Count));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"kbp-sim: cannot write the output: {e.Message}");
                return ExitCodes.BadInput;
            }

            return ExitCodes.Ok;
        });
        return sweep;
    }

    private static void AddShorthand(List<string> overrides, string key, string? value)
    {
        if (value is not null)
        {
            overrides.Add($"{key}={value}");
        }
    }
}
