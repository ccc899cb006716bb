using System.Globalization;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Time;

namespace Kbp.Sim.Cli.Output;

/// <summary>The validation table: one row per claim, then the tally.</summary>
internal static class ValidationTable
{
    public static void Write(TextWriter w, SuiteSettings settings, ulong seed, IReadOnlyList<ClaimResult> claims, double wallSeconds)
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
        int[] widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        w.WriteLine(Line(header, widths));
        foreach (string[] row in rows)
        {
            w.WriteLine(Line(row, widths));
        }

        int pass = claims.Count(c => c.Status == ClaimStatus.Pass);
        int fail = claims.Count(c => c.Status == ClaimStatus.Fail);
        int skipped = claims.Count(c => c.Status == ClaimStatus.NeedsFullRun);
        w.WriteLine(FormattableString.Invariant($"claims: {pass} PASS, {fail} FAIL, {skipped} need the full run; {wallSeconds:0.0} s wall"));
    }

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
