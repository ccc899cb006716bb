using System.Globalization;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Scenarios;

namespace Kbp.Sim.Cli.Output;

/// <summary>The console report of <c>kbp-sim rfc2544</c>: frame size → zero-loss throughput, loss point and where frames were lost there.</summary>
internal static class Rfc2544Table
{
    public static void Write(TextWriter o, string scenarioName, Rfc2544Result r, double wallSeconds)
    {
        var c = CultureInfo.InvariantCulture;
        string lineRates = string.Join(", ", r.FrameSizes.Select(f => f.LineRateBps).Distinct().Select(b => Rate(b)));
        o.WriteLine(string.Create(c, $"rfc2544 {scenarioName}: zero-loss throughput up to the line rate {lineRates} (L1), trials of {Units.FormatDuration(r.TrialNs)}, resolution {r.Resolution:0.###%}, {r.Repetitions} repetition(s), seed {r.Seed}"));
        var table = new List<string[]>
        {
            new[] { "frame", "zero-loss L1", "min", "max", "frames/s", "L2", "loss point", "lost at the loss point (full-length trial)" },
        };
        foreach (ThroughputAtFrameSize f in r.FrameSizes)
        {
            table.Add(
            [
                $"{f.FrameBytes}B",
                Rate(f.MeanZeroLossRateBps),
                Rate(f.MinZeroLossRateBps),
                Rate(f.MaxZeroLossRateBps),
                f.MeanFramesPerSecond.ToString("N0", c),
                Rate(f.MeanL2RateBps),
                f.LossPointBps is long p ? Rate(p) : "none",
                Drops(f.LossPointTrial),
            ]);
        }

        int[] widths = Enumerable.Range(0, table[0].Length).Select(i => table.Max(row => row[i].Length)).ToArray();
        foreach (string[] row in table)
        {
            var parts = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadLeft(widths[i]));
            o.WriteLine(string.Join("  ", parts).TrimEnd());
        }

        int trials = r.FrameSizes.Sum(f => f.TrialCount);
        int early = r.FrameSizes.Sum(f => f.Searches.Sum(s => s.Trials.Count(t => t.StoppedEarly)));
        int full = r.FrameSizes.Count(f => f.LossPointTrial is not null);
        o.WriteLine(string.Create(c, $"{trials} trials ({early} stopped at their first lost frame) and {full} loss-point trial(s): {r.Events:N0} events in {wallSeconds:F2} s wall"));
    }

    /// <summary>"NicRxRing 1,234, Virtqueue 5 of 100,000 sent", or "-".</summary>
    private static string Drops(TrialOutcome? trial)
    {
        if (trial is null)
        {
            return "-";
        }

        var c = CultureInfo.InvariantCulture;
        var parts = Enum.GetValues<DropReason>()
            .Where(reason => trial.LostAt(reason) > 0)
            .Select(reason => string.Create(c, $"{reason} {trial.LostAt(reason):N0}"))
            .ToList();
        string lost = parts.Count > 0 ? string.Join(", ", parts) : string.Create(c, $"none lost, {trial.InFlight:N0} in flight");
        return string.Create(c, $"{lost} of {trial.Sent:N0} sent");
    }

    /// <summary>A rate with about four significant digits: 9.848 Gbps, 812.3 Mbps.</summary>
    public static string Rate(double bps)
    {
        var c = CultureInfo.InvariantCulture;
        return bps switch
        {
            >= 1e9 => string.Create(c, $"{bps / 1e9:0.000}Gbps"),
            >= 1e6 => string.Create(c, $"{bps / 1e6:0.0}Mbps"),
            >= 1e3 => string.Create(c, $"{bps / 1e3:0.0}kbps"),
            _ => string.Create(c, $"{bps:0}bps"),
        };
    }
}
