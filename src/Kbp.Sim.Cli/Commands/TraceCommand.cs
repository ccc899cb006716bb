using System.CommandLine;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Explaining;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Time;

namespace Kbp.Sim.Cli.Commands;

/// <summary><c>kbp-sim trace FILE --out trace.json</c>: a Chrome/Perfetto trace of a bounded window of one repetition.</summary>
internal static class TraceCommand
{
    /// <summary>The longest window a trace may cover, so files stay small (about 10 MB per ms at 1 Gbps).</summary>
    public static readonly long MaxWindowNs = 50 * SimTime.NsPerMs;

    /// <summary>The most frames given a track and a flow.</summary>
    public const int MaxFrames = 12;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var scenario = new ScenarioOptions();
        var outPath = new Option<string>("--out") { Description = "The trace file to write (Chrome trace-event JSON; open it in ui.perfetto.dev or chrome://tracing).", Required = true };
        var from = new Option<string?>("--from") { Description = "Window start, simulated time since the run began (the tester starts at 10 ms), e.g. 1.2s. Without --from/--to: 1 ms around the slowest frame." };
        var to = new Option<string?>("--to") { Description = "Window end [--from + 5ms]; at most 50ms after --from." };
        Option<long> repetition = Options.Integer("--repetition", "The repetition to trace when a window is given [0].", 0, 0);
        var command = new Command("trace", "Write a Chrome trace-event JSON of a window of the run: one track per CPU with hardIRQ, softIRQ, thread slices, softIRQ vectors, queue counters and frames' paths.");
        scenario.AddTo(command);
        command.Options.Add(outPath);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(repetition);
        command.SetAction(result =>
        {
            if (!ScenarioOptions.TryDuration(result, from, error, out long? fromNs) || !ScenarioOptions.TryDuration(result, to, error, out long? toNs))
            {
                return ExitCodes.BadInput;
            }

            if (toNs is not null && fromNs is null)
            {
                error.WriteLine("kbp-sim: --to needs --from");
                return ExitCodes.BadInput;
            }

            if (fromNs is not null)
            {
                toNs ??= fromNs + (5 * SimTime.NsPerMs);
                if (toNs <= fromNs)
                {
                    error.WriteLine($"kbp-sim: --to ({SimTime.Format(toNs.Value)}) must be after --from ({SimTime.Format(fromNs.Value)})");
                    return ExitCodes.BadInput;
                }

                if (toNs - fromNs > MaxWindowNs)
                {
                    error.WriteLine($"kbp-sim: the window {SimTime.Format(fromNs.Value)}..{SimTime.Format(toNs.Value)} is longer than {SimTime.Format(MaxWindowNs)}: traces are kept small; narrow it");
                    return ExitCodes.BadInput;
                }
            }

            string path = result.GetValue(outPath)!;
            if (OutputPaths.Problem(path) is string pathProblem)
            {
                error.WriteLine($"kbp-sim: {pathProblem}");
                return ExitCodes.BadInput;
            }

            ScenarioSpec? spec = scenario.Load(result, error);
            if (spec is null)
            {
                return ExitCodes.BadInput;
            }

            VmSpec vm = VmScenario.ToVmSpec(spec);
            ulong seed = spec.Traffic.Seed;
            int rep = (int)result.GetValue(repetition);
            if (rep >= spec.Traffic.Repetitions)
            {
                error.WriteLine($"kbp-sim: --repetition {rep}: the run has {spec.Traffic.Repetitions} repetition(s), numbered from 0");
                return ExitCodes.BadInput;
            }

            long endNs = LatencyRun.SettleNs + vm.Tester.WarmupNs + vm.Tester.DurationNs + LatencyRun.DrainNs;
            string title;
            if (fromNs is null)
            {
                IReadOnlyList<FrameRef> worst = Explainer.FindSlowest(vm, spec.Traffic.Repetitions, seed, 1);
                if (worst.Count == 0)
                {
                    error.WriteLine("kbp-sim: no measured frame came back: give a window with --from and --to");
                    return ExitCodes.BadInput;
                }

                rep = worst[0].Repetition;
                fromNs = Math.Max(0, worst[0].SentNs - SimTime.NsPerMs);
                toNs = worst[0].ReceivedNs + SimTime.NsPerMs;
                title = $"{spec.Name}: slowest frame {worst[0].Id} (repetition {rep}, {SimTime.Format(worst[0].RttNs)})";
            }
            else
            {
                if (fromNs >= endNs)
                {
                    error.WriteLine($"kbp-sim: --from {SimTime.Format(fromNs.Value)} is after the run's end at {SimTime.Format(endNs)}");
                    return ExitCodes.BadInput;
                }

                title = $"{spec.Name}: repetition {rep}, {SimTime.Format(fromNs.Value)} to {SimTime.Format(toNs!.Value)}";
            }

            long a = fromNs.Value;
            long b = toNs!.Value;

            // Frames sent up to 20 ms before the window may still be on their way inside it.
            Recording recording = Explainer.Record(vm, seed, rep, [(a, b)], p => p.At(Kbp.Sim.Models.Packets.Probe.TesterSend) >= a - (20 * SimTime.NsPerMs), b);
            var frames = recording.Journeys.Logs.Values
                .Where(f => f.Probes.Any(p => p.AtNs >= a && p.AtNs <= b))
                .OrderByDescending(f => (f.ReceivedNs < 0 ? b : f.ReceivedNs) - f.Probes[0].AtNs)
                .ThenBy(f => f.Packet.Id)
                .Take(MaxFrames)
                .OrderBy(f => f.Packet.Id)
                .ToList();
            try
            {
                AtomicFile.Write(path, w => ChromeTrace.Write(w, recording.Timeline, a, b, frames, title));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"kbp-sim: cannot write the output: {e.Message}");
                return ExitCodes.BadInput;
            }

            output.WriteLine($"{title}: {recording.Timeline.Slices.Count:N0} slices, {frames.Count} frame(s) traced -> {path}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
