using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;
using Kbp.Sim.Cli;
using Kbp.Sim.Models.Calibration;
using Kbp.Sim.Tests.Contract;
using Kbp.Sim.Tests.Scenarios;

namespace Kbp.Sim.Tests.Calibration;

public class FtraceCalibrationTests
{
    private static string Fixture(string name) => Path.GetFullPath(Path.Combine(ScenarioTestFiles.Directory, "..", "Calibration", "Fixtures", name));

    private static FtraceTrace ParseFile(string name)
    {
        using var reader = new StreamReader(Fixture(name));
        return FtraceParser.Parse(reader);
    }

    [Fact]
    public void The_tracefs_format_with_flags_and_microsecond_timestamps_is_read_and_a_truncated_line_reported()
    {
        FtraceTrace t = ParseFile("tracefs-trace.txt");

        Assert.Equal(14, t.Events.Count);
        FtraceProblem truncated = Assert.Single(t.Problems);
        Assert.Equal(27, truncated.Line);
        FtraceEvent first = t.Events[0];
        Assert.Equal(("<idle>", 0, 1, 100_000_010_000L, "irq_handler_entry"), (first.Task, first.Pid, first.Cpu, first.TimeNs, first.Name));
        Assert.Equal("virtio0-input.0", first.Fields["name"]);
        Assert.Equal(3, t.Events[1].Int("vec"));
        Assert.Equal("ksoftirqd/1", t.Events[11].Task);
    }

    [Fact]
    public void The_trace_cmd_report_format_with_nanosecond_timestamps_is_read()
    {
        FtraceTrace t = ParseFile("trace-cmd-report.txt");

        Assert.Equal(7, t.Events.Count);
        Assert.Equal(250_123_456_789L, t.Events[0].TimeNs);
        Assert.Equal([9, 10], t.Problems.Select(p => p.Line));
    }

    [Fact]
    public void The_distributions_come_from_the_events_cpu_by_cpu()
    {
        TraceCalibrationResult r = TraceCalibration.Derive(ParseFile("tracefs-trace.txt"));

        // Raise → entry: 2 µs (irq exit) and 60 µs (deferred to ksoftirqd).
        Assert.Equal(2, r.RaiseToEntryNs!.Count);
        Assert.Equal(60_000, r.RaiseToEntryNs.Max);
        // Runs: 5 µs for 2 frames, 5 µs for 1 frame.
        Assert.Equal(2, r.NetRxPerPacketNs!.Count);
        Assert.Equal(5_000, r.NetRxPerPacketNs.Max);
        Assert.Equal(2, r.NapiBatch!.Max);
        Assert.Equal(49_000, r.KsoftirqdWakeToRunNs!.Max);
    }

    /// <summary>A trace of NET_RX runs with a known per-frame cost and fixed run cost, ±2 % noise.</summary>
    private static string SyntheticTrace(int seed, long perFrameNs, long perRunNs, int runs)
    {
        var rng = new Random(seed);
        var w = new StringWriter();
        long t = 1_000_000_000;
        for (int i = 0; i < runs; i++)
        {
            int cpu = rng.Next(2);
            int frames = rng.Next(1, 65);
            t += rng.Next(10_000, 200_000);
            long raise = t;
            long entry = raise + rng.Next(500, 50_000);
            double noise = 1 + ((rng.NextDouble() - 0.5) * 0.04);
            long exit = entry + (long)((perRunNs + (frames * perFrameNs)) * noise);
            w.WriteLine(Line(cpu, raise, "softirq_raise: vec=3 [action=NET_RX]"));
            w.WriteLine(Line(cpu, entry, "softirq_entry: vec=3 [action=NET_RX]"));
            for (int f = 0; f < frames; f++)
            {
                w.WriteLine(Line(cpu, entry + 1 + f, "netif_receive_skb: dev=eth0 skbaddr=0000 len=64"));
            }

            w.WriteLine(Line(cpu, exit, "softirq_exit: vec=3 [action=NET_RX]"));
            t = exit;
        }

        return w.ToString();
    }

    private static string Line(int cpu, long ns, string evt) =>
        FormattableString.Invariant($"          <idle>-0       [{cpu:000}] ..s1. {ns / 1_000_000_000}.{ns % 1_000_000_000:000000000}: {evt}");

    [Property(MaxTest = 30)]
    public Property Calibrating_a_synthetic_trace_recovers_its_per_frame_cost_within_10_percent(PositiveInt seed)
    {
        var rng = new Random(seed.Get);
        long perFrame = rng.Next(300, 3_000);
        long perRun = rng.Next(100, 2_000);
        FtraceTrace trace = FtraceParser.Parse(new StringReader(SyntheticTrace(seed.Get, perFrame, perRun, 200)));
        TraceCalibrationResult r = TraceCalibration.Derive(trace);
        double error = Math.Abs(r.PerPacketNs!.Value - perFrame) / perFrame;
        return (error <= 0.10 && trace.Problems.Count == 0).Label($"per frame {perFrame} ns, recovered {r.PerPacketNs:0} ns, run {perRun} → {r.PerRunNs:0}");
    }

    [Fact]
    public void Calibrate_writes_a_profile_that_a_scenario_loads()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-ftrace-").FullName;
        string tracePath = Path.Combine(dir, "trace.txt");
        File.WriteAllText(tracePath, SyntheticTrace(7, 1_500, 800, 300));
        string profile = Path.Combine(dir, "profile.yaml");
        var output = new StringWriter();
        var error = new StringWriter();

        int code = KbpSimCommand.Run(["calibrate", "--ftrace", tracePath, "--out", profile, "--clock", "1.7GHz"], output, error);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("ns x frames", output.ToString(), StringComparison.Ordinal);
        string scenario = RepositoryFiles.PaperScenario("vm-napi-80mbps-64b.yaml");
        Kbp.Sim.Models.Scenarios.ScenarioSpec spec = Kbp.Sim.Models.Scenarios.ScenarioLoader.Load(scenario, profile, []);
        Assert.InRange(spec.Costs.Guest.NapiPollPerPacketNs, 1_350, 1_650);
        Assert.Equal(0, spec.Costs.Guest.UdpReceiveNs);
        Assert.Equal(1.7e9, spec.Costs.ReferenceClockHz);
    }

    [Theory]
    [InlineData("nothing-usable")]
    [InlineData("missing")]
    public void A_trace_with_nothing_usable_or_a_missing_file_is_one_line_and_exit_2(string kind)
    {
        string dir = Directory.CreateTempSubdirectory("kbp-ftrace-bad-").FullName;
        string path = Path.Combine(dir, "trace.txt");
        if (kind == "nothing-usable")
        {
            File.WriteAllText(path, "# only a header\n  bash-1 [000] .... 1.000001: sys_enter: NR 0\n");
        }

        var output = new StringWriter();
        var error = new StringWriter();
        int code = KbpSimCommand.Run(["calibrate", "--ftrace", path], output, error);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
    }
}
