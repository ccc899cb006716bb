using System.Globalization;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Cli.Output;

/// <summary>One CSV row per sweep point: its values, frame counts, loss and latencies (microseconds).</summary>
internal static class SweepCsv
{
    public static void Write(TextWriter w, IReadOnlyList<SweepAxis> axes, IReadOnlyList<SweepRow> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var header = new List<string> { "index", "id" };
        header.AddRange(axes.Select(a => a.Key));
        header.AddRange(
        [
            "seed", "repetitions", "offered", "sent", "received", "lost", "inFlight", "lossRatio",
            "meanUs", "p50Us", "p99Us", "p999Us", "maxUs", "excursionsAbove1msPerSecond", "topTailCause", "topTailCauseShare",
        ]);
        w.WriteLine(string.Join(",", header.Select(CsvText.Field)));
        foreach (SweepRow r in rows)
        {
            var cells = new List<string> { r.Point.Index.ToString(c), r.Point.Id };
            cells.AddRange(r.Point.Values.Select(kv => kv.Value));
            cells.AddRange(
            [
                r.Seed.ToString(c),
                r.Repetitions.ToString(c),
                r.Frames.Offered.ToString(c),
                r.Frames.Sent.ToString(c),
                r.Frames.Received.ToString(c),
                r.Frames.Lost.ToString(c),
                r.Frames.InFlight.ToString(c),
                r.LossRatio.ToString("R", c),
                Us(r.Latency.MeanNs),
                Us(r.Latency.P50Ns),
                Us(r.Latency.P99Ns),
                Us(r.Latency.P999Ns),
                Us(r.Latency.MaxNs),
                r.ExcursionsPerSecond.ToString("R", c),
                r.TopTailCause?.Cause.ToString() ?? string.Empty,
                r.TopTailCause is TailCause t ? Math.Round(t.Share, 6).ToString(c) : string.Empty,
            ]);
            w.WriteLine(string.Join(",", cells.Select(CsvText.Field)));
        }
    }

    private static string Us(double ns) => (ns / 1000).ToString("0.###", CultureInfo.InvariantCulture);
}
