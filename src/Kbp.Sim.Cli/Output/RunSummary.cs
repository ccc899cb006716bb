using System.Globalization;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Statistics;
using Kbp.Sim.Time;

namespace Kbp.Sim.Cli.Output;

/// <summary>The console summary of <c>kbp-sim run</c>, like a hardware tester's report.</summary>
internal static class RunSummary
{
    public static void Write(TextWriter o, string scenarioName, RunResult r, double wallSeconds, bool oneWay)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine($"scenario {scenarioName}: {r.Repetitions} repetition(s), seed {r.Seed}");
        o.WriteLine(string.Create(c, $"frames   offered {r.Frames.Offered:N0}  sent {r.Frames.Sent:N0}  received {r.Frames.Received:N0}  lost {r.Frames.Lost:N0} ({r.LossRatio:P3})  in flight {r.Frames.InFlight:N0}"));
        var drops = r.Frames.LostByReason.Where(kv => kv.Value > 0).Select(kv => string.Create(c, $"{kv.Key} {kv.Value:N0}")).ToList();
        if (drops.Count > 0)
        {
            o.WriteLine($"lost at  {string.Join(", ", drops)}");
        }

        LatencyRecorder l = r.Latency;
        string what = oneWay ? "delay   " : "RTT     ";
        o.WriteLine($"{what} min {F(l.MinNs)}  mean {F((long)l.MeanNs)}  p50 {F(l.PercentileNs(50))}  p99 {F(l.PercentileNs(99))}  p99.9 {F(l.PercentileNs(99.9))}  p99.99 {F(l.PercentileNs(99.99))}  max {F(l.MaxNs)}");
        o.WriteLine($"max/rep  {string.Join("  ", r.MaxNsPerRepetition.Select(F))}");
        o.WriteLine(string.Create(c, $"{what.TrimEnd()} > 1 ms episodes: {r.ExcursionEpisodes} ({r.ExcursionsPerSecond:G3} per second)"));
        o.WriteLine("stage                      mean        max   causes of delays > 1 ms");
        for (int i = 0; i < r.Stages.Count; i++)
        {
            LatencyRecorder s = r.Stages[i];
            string causes = string.Join(", ", r.StageCausesAbove1ms[i].Select(x => string.Create(c, $"{x.Cause} {x.Count:N0}")));
            o.WriteLine($"  {s.Name,-20} {F((long)s.MeanNs),10} {F(s.MaxNs),10}   {causes}");
        }

        if (r.TailCauses.Count > 0)
        {
            o.WriteLine($"tail ({what.TrimEnd()} >= p99.9) delay by cause:");
            foreach (TailCause t in r.TailCauses.Take(6))
            {
                o.WriteLine(string.Create(c, $"  {t.Cause,-22} {t.Share,7:P1}"));
            }
        }

        o.WriteLine(string.Create(c, $"simulated {r.Events:N0} events in {wallSeconds:F2} s wall"));
    }

    private static string F(long ns) => SimTime.Format(ns);
}
