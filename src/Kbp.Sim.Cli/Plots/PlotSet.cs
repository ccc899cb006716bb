using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Explaining;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Statistics;
using Kbp.Sim.Time;

namespace Kbp.Sim.Cli.Plots;

/// <summary>One run to plot: its label (the datapath), the system, seed and repetitions.</summary>
internal sealed record PlotRun(string Label, VmSpec Spec, ulong Seed, int Repetitions);

/// <summary>
/// The plots of one or more latency runs of the same scenario: RTT CCDF, per-stage delays,
/// the packet-interval histogram at txg2 and txh0 (first run), and a timeline strip of one
/// CPU around the first run's slowest frame.
/// </summary>
internal static class PlotSet
{
    /// <summary>Frames of the first repetition whose probe times the interval histogram keeps, at most.</summary>
    private const int MaxIntervalFrames = 2_000_000;

    /// <summary>Runs each of <paramref name="runs"/>, writes the plots into <paramref name="directory"/>, returns the results in order and the PNGs written.</summary>
    public static (IReadOnlyList<RunResult> Results, IReadOnlyList<string> Files) RunAndPlot(IReadOnlyList<PlotRun> runs, string scenarioName, string directory)
    {
        var results = new List<RunResult>();
        var txg2 = new List<long>();
        var txh0 = new List<long>();
        FrameRef? worst = null;
        for (int i = 0; i < runs.Count; i++)
        {
            PlotRun run = runs[i];
            var worstPerRep = new FrameRef?[run.Repetitions];
            bool first = i == 0;
            RunResult r = LatencyRun.Run(run.Spec, run.Repetitions, run.Seed, frameObserver: rep => (packet, receivedNs) =>
            {
                var f = new FrameRef(rep, packet.Id, packet.At(Probe.TesterSend), receivedNs);
                if (worstPerRep[rep] is not { } w || f.RttNs > w.RttNs)
                {
                    worstPerRep[rep] = f;
                }

                if (first && rep == 0 && txg2.Count < MaxIntervalFrames)
                {
                    txg2.Add(packet.At(Probe.Txg2));
                    txh0.Add(packet.At(Probe.Txh0));
                }
            });
            results.Add(r);
            if (first)
            {
                worst = worstPerRep.Where(f => f is not null).OrderByDescending(f => f!.Value.RttNs).ThenBy(f => f!.Value.Repetition).FirstOrDefault();
            }
        }

        var files = new List<string>();
        string what = runs[0].Spec.Tester.Mode == TesterMode.OneWay ? "one-way delay" : "round trip";
        files.Add(PlotFiles.Save(
            Charts.RttCcdf(runs.Select((r, i) => (r.Label, results[i].Latency)).ToList(), runs.Count == 1 ? $"{scenarioName}: {what} CCDF" : $"{what} CCDF", what),
            directory,
            "ccdf"));
        files.Add(PlotFiles.Save(
            Charts.StageBreakdown(runs.Select((r, i) => (r.Label, results[i].Stages)).ToList(), runs.Count == 1 ? $"{scenarioName}: delay per stage" : "delay per stage"),
            directory,
            "stages",
            1200));
        TesterOptions tester = runs[0].Spec.Tester;
        long intervalNs = (long)(SimTime.NsPerS / Ethernet.FrameRatePps(tester.OfferedL1RateBps, tester.FrameBytes));
        if (txg2.Any(t => t >= 0))
        {
            files.Add(PlotFiles.Save(
                Charts.IntervalHistogram([("txg2", txg2.ToArray()), ("txh0", txh0.ToArray())], intervalNs, $"{scenarioName}: time between consecutive frames, repetition 0"),
                directory,
                "intervals"));
        }

        if (worst is { } frame)
        {
            files.Add(TimelineOf(runs[0], frame, scenarioName, directory));
        }

        return (results, files);
    }

    /// <summary>The timeline strip of the CPU where the worst frame waited longest, 1 ms around it.</summary>
    public static string TimelineOf(PlotRun run, FrameRef frame, string scenarioName, string directory)
    {
        long marginNs = Math.Max(SimTime.NsPerMs / 5, Math.Min(SimTime.NsPerMs, frame.RttNs));
        Explanation e = Explainer.Explain(run.Spec, run.Seed, [frame], marginNs);
        PacketJourney j = e.Journeys[0];
        StageWait? largest = j.Stages.SelectMany(s => s.Waits).Where(w => w.Processor is not null).OrderByDescending(w => w.DelayNs).FirstOrDefault();
        string processor = largest?.Competitors.FirstOrDefault()?.Processor ?? largest?.Processor ?? j.Probes.FirstOrDefault(p => p.Processor is not null).Processor ?? "host/cpu0";
        string why = largest is null ? string.Empty : $"; its largest wait: {largest.Cause} {SimTime.Format(largest.DelayNs)}";
        return PlotFiles.Save(
            Charts.Timeline(e.Timelines[frame.Repetition], processor, j, Math.Max(0, frame.SentNs - marginNs), frame.ReceivedNs + marginNs,
                $"{scenarioName}: {WaitWords.CpuWords(processor)} around frame {frame.Id} ({SimTime.Format(frame.RttNs)}{why})"),
            directory,
            "timeline",
            1400);
    }

    /// <summary>The latency of each run, for a caller that has results already.</summary>
    public static IReadOnlyList<(string, LatencyRecorder)> Latencies(IReadOnlyList<PlotRun> runs, IReadOnlyList<RunResult> results) =>
        runs.Select((r, i) => (r.Label, results[i].Latency)).ToList();
}
