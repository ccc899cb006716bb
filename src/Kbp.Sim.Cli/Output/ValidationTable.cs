using System.Globalization;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Time;

namespace Kbp.Sim.Cli.Output;

/// <summary>The validation table: one row per claim, then the tally.</summary>
internal static class ValidationTable
{
    public static void Write(TextWriter w, SuiteSettings settings, ulong seed, IReadOnlyList<ClaimResult> claims, PredictionResults? predictions, double wallSeconds)
    {
        string mode = settings.Quick
            ? FormattableString.Invariant($"QUICK run for CI: latency {settings.LatencyDurationNs / SimTime.NsPerS} s x {settings.LatencyRepetitions} (paper: 60 s x 5), trials {settings.TrialNs / SimTime.NsPerS} s x {settings.ThroughputRepetitions} at {settings.Resolution:P0} resolution (paper: 60 s x 10). A maximum over a shorter run is lower: upper bounds are checked (necessary, not sufficient), claims about rare events need the full run and are not evaluated.")
            : "FULL run, the paper's method: latency 60 s x 5 repetitions, RFC 2544 trials of 60 s x 10 repetitions.";
        w.WriteLine($"validate: VM paper suite, seed {seed}");
        w.WriteLine(mode);
        string[] header = ["source", "claim", "paper", "simulated", "ratio", "band", "result"];
        var rows = claims.Select(c => new[]
        {
            c.Claim.Source,
            c.Claim.Text,
            c.Claim.Paper,
            c.Status == ClaimStatus.NeedsFullRun ? "-" : c.Measure.Simulated,
            c.Measure.Ratio is double r && c.Status != ClaimStatus.NeedsFullRun ? r.ToString("0.00", CultureInfo.InvariantCulture) : "",
            c.Claim.Band,
            Word(c.Status),
        }).ToList();
        if (claims.Count > 0)
        {
            WriteRows(w, header, rows);
        }

        if (predictions is not null)
        {
            WritePredictions(w, predictions);
        }

        int pass = claims.Count(c => c.Status == ClaimStatus.Pass);
        int fail = claims.Count(c => c.Status == ClaimStatus.Fail);
        int skipped = claims.Count(c => c.Status == ClaimStatus.NeedsFullRun);
        w.WriteLine(FormattableString.Invariant($"claims: {pass} PASS, {fail} FAIL, {skipped} need the full run; {wallSeconds:0.0} s wall"));
    }

    /// <summary>
    /// The container predictions: per scenario max and mean RTT, loss and the dominant tail
    /// cause; per system the zero-loss throughput. No paper column: the paper's container
    /// measurements are held out.
    /// </summary>
    private static void WritePredictions(TextWriter w, PredictionResults p)
    {
        w.WriteLine();
        w.WriteLine("predictions: containers, the paper's systems (d)-(g); the paper's measurements are held out, VM calibration unchanged");
        string[] header = ["scenario", "max RTT", "mean RTT", "lost", "loss", "dominant tail cause"];
        var rows = p.Latency.Select(kv => new[]
        {
            kv.Key,
            Time(kv.Value.Latency.MaxNs),
            Time((long)Math.Round(kv.Value.Latency.MeanNs)),
            kv.Value.Frames.Lost.ToString("N0", CultureInfo.InvariantCulture),
            kv.Value.LossRatio.ToString("P3", CultureInfo.InvariantCulture),
            kv.Value.TailCauses.Count == 0 ? "-" : $"{kv.Value.TailCauses[0].Cause} {kv.Value.TailCauses[0].Share:P0}",
        }).ToList();
        WriteRows(w, header, rows);
        w.WriteLine();
        string[] rfcHeader = ["system", .. p.Throughput.First().Value.FrameSizes.Select(f => $"{f.FrameBytes} B zero-loss (L1)"), "first drop site"];
        var rfcRows = p.Throughput.Select(kv => new[]
        {
            kv.Key,
        }.Concat(kv.Value.FrameSizes.Select(f => Rate(f.MeanZeroLossRateBps)))
         .Append(DropSite(kv.Value))
         .ToArray()).ToList();
        WriteRows(w, rfcHeader, rfcRows);
    }

    private static string DropSite(Rfc2544Result r)
    {
        var sites = r.FrameSizes
            .Where(f => f.LossPointTrial is not null)
            .Select(f => $"{f.FrameBytes} B: " + string.Join(", ", Enum.GetValues<Kbp.Sim.Models.Packets.DropReason>()
                .Where(d => f.LossPointTrial!.LostAt(d) > 0)
                .Select(d => d.ToString())));
        return string.Join("; ", sites);
    }

    private static void WriteRows(TextWriter w, string[] header, List<string[]> rows)
    {
        int[] widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        w.WriteLine(Line(header, widths));
        foreach (string[] row in rows)
        {
            w.WriteLine(Line(row, widths));
        }
    }

    private static string Time(long ns) => ns >= SimTime.NsPerMs
        ? (ns / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " ms"
        : (ns / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " µs";

    private static string Rate(double bps) => bps >= 1e9
        ? (bps / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " Gbps"
        : (bps / 1e6).ToString("0", CultureInfo.InvariantCulture) + " Mbps";

    /// <summary>The word shown for a status.</summary>
    public static string Word(ClaimStatus status) => status switch
    {
        ClaimStatus.Pass => "PASS",
        ClaimStatus.Fail => "FAIL",
        _ => "FULL RUN",
    };

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
