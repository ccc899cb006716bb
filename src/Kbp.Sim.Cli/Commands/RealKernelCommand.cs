using System.CommandLine;
using System.Globalization;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Calibration;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim real-kernel RESULTS.json [--profile P] [--json OUT]</c>: runs, for each
/// configuration of a real-kernel harness run (tests/real-kernel/harness.sh), its scenario in
/// scenarios/real-kernel with the run's message rate, size and CPUs, after calibrating the
/// veth path's NET_RX cost from the run's own trace when it has one, and puts measured and
/// simulated round trips side by side.
/// </summary>
internal static class RealKernelCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var results = new Argument<string>("RESULTS") { Description = "results.json written by tests/real-kernel/harness.sh." };
        var profile = new Option<string?>("--profile") { Description = "Calibration profile (YAML/JSON); overrides the scenarios' 'profile' key." };
        var json = new Option<string?>("--json") { Description = "Write measured, simulated and their ratios as JSON to this file." };
        var scenarios = new Option<string>("--scenarios") { Description = "Directory of one scenario per configuration, <config>.yaml.", DefaultValueFactory = _ => Path.Combine("scenarios", "real-kernel") };
        var duration = new Option<string?>("--duration") { Description = "Simulated measured duration per configuration, e.g. 2s (shorthand for --set traffic.duration=T)." };
        var set = new Option<string[]>("--set") { Description = "Override a key of every scenario (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("real-kernel", "Measured (real-kernel harness) against simulated round trips, configuration by configuration: p50, p99, p99.9, max and their ratio.")
        {
            results, profile, json, scenarios, duration, set,
        };
        command.SetAction(r => Run(
            r.GetValue(results)!, r.GetValue(profile), r.GetValue(json), r.GetValue(scenarios)!, r.GetValue(duration), r.GetValue(set) ?? [], output, error));
        return command;
    }

    private static int Run(string resultsPath, string? profile, string? jsonPath, string scenarioDir, string? duration, string[] sets, TextWriter output, TextWriter error)
    {
        if (!File.Exists(resultsPath))
        {
            error.WriteLine($"kbp-sim: {resultsPath}: file does not exist");
            return ExitCodes.BadInput;
        }

        if (OutputPaths.Problem(jsonPath) is string pathProblem)
        {
            error.WriteLine($"kbp-sim: {pathProblem}");
            return ExitCodes.BadInput;
        }

        HarnessResults? harness = HarnessResults.Read(resultsPath, out string? problem);
        if (harness is null)
        {
            error.WriteLine($"kbp-sim: {problem}");
            return ExitCodes.BadInput;
        }

        var files = new List<string>();
        foreach (HarnessConfig c in harness.Configs)
        {
            string file = Path.Combine(scenarioDir, c.Name + ".yaml");
            if (!File.Exists(file))
            {
                string have = Directory.Exists(scenarioDir)
                    ? string.Join(", ", Directory.GetFiles(scenarioDir, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal))
                    : "none (the directory does not exist)";
                error.WriteLine($"kbp-sim: {resultsPath}: key 'configs.{c.Name}': no scenario {file}; configurations with a scenario in {scenarioDir}: {have}");
                return ExitCodes.BadInput;
            }

            files.Add(file);
        }

        var overrides = new List<string>
        {
            $"traffic.messageRate={harness.RateMps}",
            $"traffic.messageSize={harness.SizeBytes}B",
            $"bareMetalVeth.clientCpu={harness.ClientCpu}",
            $"bareMetalVeth.serverCpu={harness.ServerCpu}",
        };
        if (duration is not null)
        {
            overrides.Add($"traffic.duration={duration}");
        }

        overrides.AddRange(sets);
        try
        {
            TraceCostCalibration? calibration = Calibrate(harness, files, profile, overrides, output, error, out int status);
            if (status != ExitCodes.Ok)
            {
                return status;
            }

            if (calibration is not null)
            {
                overrides.Add(calibration.Override);
            }

            var rows = new List<RealKernelRow>();
            for (int i = 0; i < files.Count; i++)
            {
                ScenarioSpec scenario = ScenarioLoader.Load(files[i], profile, overrides);
                RunResult run = LatencyRun.Run(VmScenario.ToVmSpec(scenario), scenario.Traffic.Repetitions, scenario.Traffic.Seed);
                rows.Add(new RealKernelRow(harness.Configs[i], files[i], run));
            }

            RealKernelReport.WriteTable(output, harness, rows);
            if (jsonPath is not null)
            {
                AtomicFile.Write(jsonPath, w => RealKernelReport.WriteJson(w, resultsPath, harness, calibration, rows));
            }
        }
        catch (ScenarioException e)
        {
            error.WriteLine($"kbp-sim: {e.OneLine}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"kbp-sim: cannot write the output: {e.Message}");
            return ExitCodes.BadInput;
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// From the idle configuration's trace (else the first that has one): the p50 of a
    /// one-frame NET_RX run (softirq_entry → softirq_exit, TraceCalibration) is the veth
    /// path's NET_RX work plus __do_softirq's entry and the reader's wakeup, so
    /// napiPollPerPacket is that minus costs.host.softirqEntry and costs.host.wakeup, in the
    /// profile's reference-clock units. Null when no trace was recorded.
    /// </summary>
    private static TraceCostCalibration? Calibrate(HarnessResults harness, List<string> files, string? profile, List<string> overrides, TextWriter output, TextWriter error, out int status)
    {
        status = ExitCodes.Ok;
        int at = harness.Configs.ToList().FindIndex(c => c.Name == "idle" && c.TracePath is not null);
        at = at >= 0 ? at : harness.Configs.ToList().FindIndex(c => c.TracePath is not null);
        if (at < 0)
        {
            output.WriteLine("calibration: the results carry no trace (harness.sh --trace): the profile's costs are used as they are");
            return null;
        }

        string tracePath = harness.Configs[at].TracePath!;
        if (!File.Exists(tracePath))
        {
            error.WriteLine($"kbp-sim: key 'configs.{harness.Configs[at].Name}.trace': trace file {tracePath} does not exist");
            status = ExitCodes.BadInput;
            return null;
        }

        FtraceTrace trace;
        using (var reader = new StreamReader(tracePath))
        {
            trace = FtraceParser.Parse(reader);
        }

        FittedDistribution? perFrame = TraceCalibration.Derive(trace).NetRxPerPacketNs;
        if (perFrame is null)
        {
            output.WriteLine($"calibration: {tracePath}: no NET_RX run with a frame among {trace.Events.Count:N0} events: the profile's costs are used as they are");
            return null;
        }

        ScenarioSpec scenario = ScenarioLoader.Load(files[at], profile, overrides);
        double toReference = scenario.Host.ClockHz / scenario.Costs.ReferenceClockHz;
        long fixedNs = scenario.Costs.Host.Kernel.SoftirqEntryNs + scenario.Costs.Host.Kernel.WakeupNs;
        long napiNs = Math.Max(0, (long)Math.Round(perFrame.P50 * toReference) - fixedNs);
        var calibration = new TraceCostCalibration(tracePath, perFrame.Count, perFrame.P50, napiNs);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"calibration: {Path.GetFileName(tracePath)}: NET_RX per frame p50 {perFrame.P50 / 1000:0.##} us over {perFrame.Count:N0} runs -> {calibration.Override} (minus softirqEntry + wakeup, {fixedNs} ns)"));
        return calibration;
    }
}

/// <summary>What the trace calibration set: the override it adds to every scenario.</summary>
/// <param name="TracePath">The trace used.</param>
/// <param name="Runs">NET_RX runs with frames in it.</param>
/// <param name="NetRxPerFrameP50Ns">Their median time per frame, ns.</param>
/// <param name="NapiPollPerPacketNs">The cost derived, reference-clock ns.</param>
internal sealed record TraceCostCalibration(string TracePath, int Runs, double NetRxPerFrameP50Ns, long NapiPollPerPacketNs)
{
    /// <summary>The <c>--set</c> override.</summary>
    public string Override => string.Create(CultureInfo.InvariantCulture, $"costs.host.napiPollPerPacket={NapiPollPerPacketNs}ns");
}

/// <summary>One configuration, measured and simulated.</summary>
/// <param name="Measured">The harness's numbers.</param>
/// <param name="ScenarioPath">The scenario run.</param>
/// <param name="Simulated">The simulation's result.</param>
internal sealed record RealKernelRow(HarnessConfig Measured, string ScenarioPath, RunResult Simulated);
