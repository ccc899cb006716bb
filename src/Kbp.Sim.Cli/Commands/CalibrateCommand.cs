using System.CommandLine;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim calibrate --kbp-stats FILE</c>: the KBP module's statistics (kernel-module/,
/// format v1) next to the same figures counted by the model's KBP threads in a comparable
/// scenario: batch sizes, empty-poll and requeue ratios, schedule-to-poll times.
/// </summary>
internal static class CalibrateCommand
{
    /// <summary>The scenario compared with when none is given, relative to the repository.</summary>
    public static readonly string DefaultScenario = Path.Combine("scenarios", "paper", "vm-kbp-80mbps-64b.yaml");

    public static Command Create(TextWriter output, TextWriter error)
    {
        var stats = new Option<string?>("--kbp-stats") { Description = "The module's statistics file (/sys/kernel/debug/kbp/stats, format v1)." };
        var ftrace = new Option<string?>("--ftrace") { Description = "A kernel trace (trace-cmd report, or tracefs trace/trace_pipe text) to derive per-stage distributions and a calibration profile from." };
        var outProfile = new Option<string?>("--out") { Description = "With --ftrace: write the calibration profile (YAML) to this file." };
        var side = new Option<string>("--side") { Description = "With --ftrace: the kernel the trace comes from, guest or host [guest].", DefaultValueFactory = _ => "guest" };
        var clock = new Option<string>("--clock") { Description = "With --ftrace: the traced machine's core clock, the profile's referenceClock [2.0GHz].", DefaultValueFactory = _ => "2.0GHz" };
        var scenarioOption = new Option<string?>("--scenario") { Description = $"A KBP VM scenario to compare with [{DefaultScenario} of the repository, found from the working directory]." };
        var duration = new Option<string>("--duration") { Description = "Simulated traffic time (shorthand for --set traffic.duration=T).", DefaultValueFactory = _ => "2s" };
        var seed = new Option<string?>("--seed") { Description = "Run seed (shorthand for --set traffic.seed=S)." };
        var set = new Option<string[]>("--set") { Description = "Override a scenario key: --set traffic.rate=1Gbps (repeatable).", AllowMultipleArgumentsPerToken = false };
        var applyParams = new Option<bool>("--apply-params") { Description = "Run the guest's KBP threads with the file's parameters (weight, idle_mode, policy, priority) instead of the scenario's." };
        var json = new Option<string?>("--json") { Description = "Write both sides' counters and figures as JSON to this file." };

        var command = new Command("calibrate", "--kbp-stats: compare the KBP module's statistics with the model's KBP threads in a comparable scenario; --ftrace: derive per-stage distributions and a calibration profile from a kernel trace.")
        {
            stats, ftrace, outProfile, side, clock, scenarioOption, duration, seed, set, applyParams, json,
        };
        command.SetAction(result =>
        {
            string? tracePath = result.GetValue(ftrace);
            string? statsPath = result.GetValue(stats);
            if ((tracePath is null) == (statsPath is null))
            {
                error.WriteLine("kbp-sim: calibrate needs exactly one of --kbp-stats FILE and --ftrace FILE");
                return ExitCodes.BadInput;
            }

            if (tracePath is not null)
            {
                return FtraceCalibration.Run(tracePath, result.GetValue(outProfile), result.GetValue(side)!, result.GetValue(clock)!, output, error);
            }

            string statsFile = statsPath!;
            if (ReadStats(statsFile, error) is not KbpModuleStats moduleStats)
            {
                return ExitCodes.BadInput;
            }

            string? scenarioPath = result.GetValue(scenarioOption) ?? FindDefaultScenario();
            if (scenarioPath is null)
            {
                error.WriteLine($"kbp-sim: cannot find {DefaultScenario} from the working directory; run from the repository or give --scenario FILE");
                return ExitCodes.BadInput;
            }

            var overrides = new List<string>(result.GetValue(set) ?? []) { $"traffic.duration={result.GetValue(duration)}", "traffic.repetitions=1" };
            if (result.GetValue(seed) is string seedText)
            {
                overrides.Add($"traffic.seed={seedText}");
            }

            ScenarioSpec scenario;
            try
            {
                scenario = ScenarioLoader.Load(scenarioPath, null, overrides);
            }
            catch (ScenarioException e)
            {
                error.WriteLine($"kbp-sim: {e.OneLine}");
                return ExitCodes.BadInput;
            }

            if (scenario.Topology != Topology.Vm || scenario.Datapath != Datapath.Kbp)
            {
                error.WriteLine($"kbp-sim: {scenarioPath}: calibrate needs a VM scenario with datapath: kbp, not topology {scenario.Topology}, datapath {scenario.Datapath}");
                return ExitCodes.BadInput;
            }

            string? jsonPath = result.GetValue(json);
            if (OutputPaths.Problem(jsonPath) is string pathProblem)
            {
                error.WriteLine($"kbp-sim: {pathProblem}");
                return ExitCodes.BadInput;
            }

            foreach (KbpStatsProblem problem in moduleStats.Problems)
            {
                error.WriteLine($"kbp-sim: warning: {statsFile}:{problem.Line}: {problem.Message}{(problem.Skipped ? " (skipped)" : string.Empty)}");
            }

            VmSpec spec = VmScenario.ToVmSpec(scenario);
            bool apply = result.GetValue(applyParams) && moduleStats.Options is not null;
            if (apply)
            {
                spec = spec with { GuestKbp = moduleStats.Options! with { Cpus = spec.GuestKbp.Cpus, PollLoopNs = spec.GuestKbp.PollLoopNs } };
            }

            ulong repetitionSeed = LatencyRun.RepetitionSeed(scenario.Traffic.Seed, 0);
            KbpStatsResult model = KbpStatsRun.Run(spec, repetitionSeed);
            var report = new CalibrationReport(
                statsFile,
                moduleStats,
                scenario.Name,
                scenario.Traffic.DurationNs,
                scenario.Traffic.Seed,
                apply,
                [
                    new CalibrationSide("module", moduleStats.Options is { } o ? KbpModuleParameters.LoadLine(o) : string.Empty, moduleStats.Threads),
                    new CalibrationSide("guest", KbpModuleParameters.LoadLine(spec.GuestKbp), model.Guest),
                    new CalibrationSide("host", KbpModuleParameters.LoadLine(spec.HostKbp), model.Host),
                ]);
            CalibrationTable.Write(output, report);
            if (jsonPath is not null)
            {
                try
                {
                    AtomicFile.Write(jsonPath, w => CalibrationJson.Write(w, report));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"kbp-sim: cannot write the output: {e.Message}");
                    return ExitCodes.BadInput;
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Reads the module's file; on failure prints one line and returns null.</summary>
    private static KbpModuleStats? ReadStats(string path, TextWriter error)
    {
        if (Directory.Exists(path))
        {
            error.WriteLine($"kbp-sim: --kbp-stats: '{path}' is a directory; give the statistics file");
            return null;
        }

        if (!File.Exists(path))
        {
            error.WriteLine($"kbp-sim: --kbp-stats: file '{path}' does not exist");
            return null;
        }

        try
        {
            return KbpModuleStats.Load(path);
        }
        catch (FormatException e)
        {
            error.WriteLine($"kbp-sim: {path}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"kbp-sim: --kbp-stats: cannot read '{path}': {e.Message}");
        }

        return null;
    }

    /// <summary>The default scenario in the working directory or one of its parents.</summary>
    private static string? FindDefaultScenario()
    {
        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, DefaultScenario);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
