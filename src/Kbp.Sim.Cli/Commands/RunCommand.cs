using System.CommandLine;
using System.Diagnostics;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Cli.Commands;

/// <summary><c>kbp-sim run FILE</c>: one scenario, a tester's report.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "Scenario file (.yaml, .yml or .json)." };
        var set = new Option<string[]>("--set") { Description = "Override a key: --set traffic.rate=80Mbps (repeatable; wins over file and profile).", AllowMultipleArgumentsPerToken = false };
        var profile = new Option<string?>("--profile") { Description = "Calibration profile (YAML/JSON); overrides the scenario's 'profile' key." };
        var seed = new Option<string?>("--seed") { Description = "Run seed (shorthand for --set traffic.seed=S)." };
        var duration = new Option<string?>("--duration") { Description = "Measured duration per repetition, e.g. 60s (shorthand for --set traffic.duration=T)." };
        var repetitions = new Option<string?>("--repetitions") { Description = "Repetitions (shorthand for --set traffic.repetitions=R)." };
        var json = new Option<string?>("--json") { Description = "Write the results as JSON to this file." };
        var hgrm = new Option<string?>("--hgrm") { Description = "Write the RTT percentile distribution (HdrHistogram .hgrm) to this file." };
        var csv = new Option<string?>("--csv") { Description = "Write one CSV row per measured frame (probe times and waits by cause) to this file." };
        var plot = new Option<string?>("--plot") { Description = "Write the plots (RTT CCDF, delay per stage, packet intervals, CPU timeline around the slowest frame; PNG and SVG) into this existing directory." };

        var run = new Command("run", "Run one scenario and report latency, throughput and loss like a hardware tester.")
        {
            file, set, profile, seed, duration, repetitions, json, hgrm, csv, plot,
        };
        run.SetAction(result =>
        {
            var overrides = new List<string>(result.GetValue(set) ?? []);
            AddShorthand(overrides, "traffic.seed", result.GetValue(seed));
            AddShorthand(overrides, "traffic.duration", result.GetValue(duration));
            AddShorthand(overrides, "traffic.repetitions", result.GetValue(repetitions));
            string path = result.GetValue(file)!;
            ScenarioSpec scenario;
            try
            {
                scenario = ScenarioLoader.Load(path, result.GetValue(profile), overrides);
            }
            catch (ScenarioException e)
            {
                error.WriteLine($"kbp-sim: {e.OneLine}");
                return ExitCodes.BadInput;
            }

            string? jsonPath = result.GetValue(json);
            string? hgrmPath = result.GetValue(hgrm);
            string? csvPath = result.GetValue(csv);
            foreach (string? outPath in new[] { jsonPath, hgrmPath, csvPath })
            {
                string? dir = outPath is null ? null : Path.GetDirectoryName(Path.GetFullPath(outPath));
                if (dir is not null && !Directory.Exists(dir))
                {
                    error.WriteLine($"kbp-sim: output directory '{dir}' does not exist");
                    return ExitCodes.BadInput;
                }

                if (outPath is not null && Directory.Exists(outPath))
                {
                    error.WriteLine($"kbp-sim: output '{outPath}' is a directory; give a file name");
                    return ExitCodes.BadInput;
                }
            }

            string? plotDir = result.GetValue(plot);
            if (OutputPaths.PlotDirProblem(plotDir) is string plotProblem)
            {
                error.WriteLine($"kbp-sim: {plotProblem}");
                return ExitCodes.BadInput;
            }

            if (plotDir is not null && csvPath is not null)
            {
                error.WriteLine("kbp-sim: give --plot or --csv, not both (each watches every frame)");
                return ExitCodes.BadInput;
            }

            VmSpec spec = VmScenario.ToVmSpec(scenario);
            var wall = Stopwatch.StartNew();
            try
            {
                RunResult r = plotDir is not null
                    ? Plots.PlotSet.RunAndPlot([new Plots.PlotRun(scenario.Name, spec, scenario.Traffic.Seed, scenario.Traffic.Repetitions)], scenario.Name, plotDir).Results[0]
                    : csvPath is null
                    ? LatencyRun.Run(spec, scenario.Traffic.Repetitions, scenario.Traffic.Seed)
                    : RunWithCsv(spec, scenario, csvPath);
                RunSummary.Write(output, scenario.Name, r, wall.Elapsed.TotalSeconds, scenario.Traffic.Mode == Kbp.Sim.Models.Hardware.TesterMode.OneWay);
                if (jsonPath is not null)
                {
                    AtomicFile.Write(jsonPath, w => RunResultJson.Write(w, scenario.Name, r));
                }

                if (hgrmPath is not null)
                {
                    AtomicFile.Write(hgrmPath, r.Latency.WritePercentileDistribution);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"kbp-sim: cannot write the output: {e.Message}");
                return ExitCodes.BadInput;
            }

            return ExitCodes.Ok;
        });
        return run;
    }

    private static void AddShorthand(List<string> overrides, string key, string? value)
    {
        if (value is not null)
        {
            overrides.Add($"{key}={value}");
        }
    }

    /// <summary>Each repetition streams its rows to its own temporary file; they are joined in order.</summary>
    private static RunResult RunWithCsv(VmSpec spec, ScenarioSpec scenario, string csvPath)
    {
        int reps = scenario.Traffic.Repetitions;
        var parts = new string[reps];
        var writers = new StreamWriter[reps];
        for (int i = 0; i < reps; i++)
        {
            parts[i] = Path.GetTempFileName();
            writers[i] = new StreamWriter(parts[i]);
        }

        try
        {
            RunResult r = LatencyRun.Run(spec, reps, scenario.Traffic.Seed, frameObserver: i => (p, receivedNs) => PacketCsv.WriteRow(writers[i], i, p, receivedNs));
            foreach (StreamWriter w in writers)
            {
                w.Dispose();
            }

            AtomicFile.Write(csvPath, w =>
            {
                PacketCsv.WriteHeader(w);
                w.Flush();
                foreach (string part in parts)
                {
                    using var reader = new StreamReader(part);
                    reader.BaseStream.CopyTo(((StreamWriter)w).BaseStream);
                }
            });
            return r;
        }
        finally
        {
            foreach (StreamWriter w in writers)
            {
                w.Dispose();
            }

            foreach (string part in parts)
            {
                File.Delete(part);
            }
        }
    }
}
