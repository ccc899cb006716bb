using System.Globalization;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Hardware;

namespace Kbp.Sim.Cli.Output;

/// <summary>The console table of <c>kbp-sim sweep</c>: one row per point, latencies in microseconds.</summary>
internal static class SweepTable
{
    public static void Write(TextWriter o, string scenarioName, IReadOnlyList<SweepAxis> axes, IReadOnlyList<SweepRow> rows, double wallSeconds)
    {
        var c = CultureInfo.InvariantCulture;
        int[] reps = rows.Select(r => r.Repetitions).Distinct().ToArray();
        string repetitions = reps.Length == 1 ? $"{reps[0]} repetition(s) each" : "repetitions varied";
        bool allEcho = rows.All(r => r.Mode == TesterMode.Echo);
        bool allOneWay = rows.All(r => r.Mode == TesterMode.OneWay);
        string what = allEcho ? "RTT" : allOneWay ? "one-way delay" : "RTT or one-way delay";
        o.WriteLine($"sweep {scenarioName}: {rows.Count} point(s), {repetitions}; {what} in us");

        var header = new List<string> { "#" };
        header.AddRange(axes.Select(a => a.Key));
        header.AddRange(["offered", "sent", "received", "lost", "loss", "mean", "p50", "p99", "p99.9", "max", ">1ms/s", "top tail cause"]);
        var table = new List<string[]> { header.ToArray() };
        foreach (SweepRow r in rows)
        {
            var cells = new List<string> { r.Point.Index.ToString(c) };
            cells.AddRange(r.Point.Values.Select(kv => kv.Value));
            cells.AddRange(
            [
                r.Frames.Offered.ToString("N0", c),
                r.Frames.Sent.ToString("N0", c),
                r.Frames.Received.ToString("N0", c),
                r.Frames.Lost.ToString("N0", c),
                r.LossRatio.ToString("P3", c),
                Us(r.Latency.MeanNs),
                Us(r.Latency.P50Ns),
                Us(r.Latency.P99Ns),
                Us(r.Latency.P999Ns),
                Us(r.Latency.MaxNs),
                r.ExcursionsPerSecond.ToString("0.###", c),
                r.TopTailCause is TailCause t ? string.Create(c, $"{t.Cause} {t.Share:P0}") : "-",
            ]);
            table.Add(cells.ToArray());
        }

        // Keys and values left-aligned, numbers right-aligned, the cause left-aligned.
        int columns = header.Count;
        int[] widths = Enumerable.Range(0, columns).Select(i => table.Max(row => row[i].Length)).ToArray();
        foreach (string[] row in table)
        {
            var parts = new string[columns];
            for (int i = 0; i < columns; i++)
            {
                bool left = (i >= 1 && i <= axes.Count) || i == columns - 1;
                parts[i] = left ? row[i].PadRight(widths[i]) : row[i].PadLeft(widths[i]);
            }

            o.WriteLine(string.Join("  ", parts).TrimEnd());
        }

        long events = rows.Sum(r => r.Events);
        o.WriteLine(string.Create(c, $"simulated {events:N0} events in {wallSeconds:F2} s wall"));
    }

    private static string Us(double ns) => (ns / 1000).ToString("0.0#", CultureInfo.InvariantCulture);
}
