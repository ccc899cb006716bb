using System.CommandLine;
using System.Globalization;
using Kbp.Sim.Benchmarking;

namespace Kbp.Sim.Cli.Commands;

/// <summary><c>kbp-sim bench</c>: speed measurements of the engine on this machine.</summary>
internal static class BenchCommand
{
    /// <summary>Wall time of untimed runs before <c>bench scenario</c> starts its clock.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public static Command Create(TextWriter output, TextWriter error)
    {
        var bench = new Command("bench", "Measure the simulator's speed on this machine.");
        bench.Subcommands.Add(CreateHold(output));
        bench.Subcommands.Add(CreateScenario(output, error));
        return bench;
    }

    private static Command CreateScenario(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "Scenario file." };
        var duration = new Option<string>("--duration") { Description = "Simulated traffic time to time.", DefaultValueFactory = _ => "2s" };
        var scenario = new Command("scenario", "Simulated frames per wall-clock second for one repetition of a scenario on one core.")
        {
            file, duration,
        };
        scenario.SetAction(result =>
        {
            Kbp.Sim.Models.Scenarios.ScenarioSpec spec;
            try
            {
                spec = Kbp.Sim.Models.Scenarios.ScenarioLoader.Load(result.GetValue(file)!, null, [$"traffic.duration={result.GetValue(duration)}", "traffic.warmup=0s"]);
            }
            catch (Kbp.Sim.Models.Scenarios.ScenarioException e)
            {
                error.WriteLine($"kbp-sim: {e.OneLine}");
                return ExitCodes.BadInput;
            }

            var vm = Kbp.Sim.Models.Topologies.VmScenario.ToVmSpec(spec);

            // Untimed runs first, for WarmUp of wall time: tiered compilation promotes a hot
            // method only after its call counts and a background delay, and with dynamic PGO
            // through an instrumented tier, so a shorter warm-up times unoptimised code.
            long warmUpStart = System.Diagnostics.Stopwatch.GetTimestamp();
            do
            {
                Kbp.Sim.Models.Experiments.LatencyRun.RunOne(vm with { Tester = vm.Tester with { DurationNs = 200_000_000 } }, 1);
            }
            while (System.Diagnostics.Stopwatch.GetElapsedTime(warmUpStart) < WarmUp);

            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            var r = Kbp.Sim.Models.Experiments.LatencyRun.RunOne(vm, spec.Traffic.Seed);
            double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{spec.Name}: {r.Tester.Sent:N0} frames sent, {r.Events:N0} events in {seconds:F3} s: {r.Tester.Sent / seconds / 1e6:F2} M frames/s, {r.Events / seconds / 1e6:F2} M events/s"));
            return ExitCodes.Ok;
        });
        return scenario;
    }

    private static Command CreateHold(TextWriter output)
    {
        Option<long> pending = Options.Integer("--pending", "Events kept pending in the queue (N).", 1_000, 1, 1 << 24);
        Option<long> events = Options.Integer("--events", "Events to fire while timing (M).", 10_000_000, 1);
        Option<long> seed = Options.Integer("--seed", "Run seed.", 1, 0);
        Option<long> meanNs = Options.Integer("--mean-ns", "Mean of the exponential hold time, in ns.", 1_000, 1);

        var hold = new Command(
            "hold",
            "Event-queue speed with the hold model: pre-fill N events; each step fires the earliest and schedules one at now + Exp(mean).")
        {
            pending, events, seed, meanNs,
        };
        hold.SetAction(result =>
        {
            var sim = new Simulator((ulong)result.GetValue(seed));
            var model = new HoldModel(sim, (int)result.GetValue(pending), result.GetValue(meanNs));
            long measured = result.GetValue(events);

            // Let tiered JIT compilation settle before the clock starts.
            model.Advance(Math.Min(measured, 2_000_000));
            HoldResult r = model.Measure(measured);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"hold: pending {r.PendingEvents:N0}, events {r.Events:N0}, elapsed {r.ElapsedSeconds:F3} s, {r.EventsPerSecond / 1e6:F2} M events/s"));
            return ExitCodes.Ok;
        });
        return hold;
    }
}
