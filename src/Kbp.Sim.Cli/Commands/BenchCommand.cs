using System.CommandLine;
using System.Globalization;
using Kbp.Sim.Benchmarking;

namespace Kbp.Sim.Cli.Commands;

/// <summary><c>kbp-sim bench</c>: speed measurements of the engine on this machine.</summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter output)
    {
        var bench = new Command("bench", "Measure the simulator's speed on this machine.");
        bench.Subcommands.Add(CreateHold(output));
        return bench;
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
