using System.Globalization;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Time;

namespace Kbp.Sim.Cli.Output;

/// <summary>
/// The console report of <c>kbp-sim calibrate</c>: one column per KBP thread and one total per
/// side (module, model guest, model host), every column rendered by the same helpers.
/// </summary>
internal static class CalibrationTable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Write(TextWriter o, CalibrationReport report)
    {
        o.WriteLine(string.Create(
            C,
            $"calibrate: {report.StatsFile} (module) against {report.ScenarioName} (model: {SimTime.Format(report.DurationNs)} of traffic, seed {report.Seed}, 1 repetition)"));
        o.WriteLine($"note: {CalibrationReport.Note}");
        if (report.Stats.SkippedLines > 0)
        {
            o.WriteLine($"note: {report.Stats.SkippedLines} malformed line(s) of the statistics file skipped (listed on stderr)");
        }

        o.WriteLine();
        int nameWidth = report.Sides.Max(s => s.Name.Length);
        foreach (CalibrationSide side in report.Sides)
        {
            string line = side.LoadLine.Length > 0 ? side.LoadLine : "(no params line)";
            o.WriteLine($"{side.Name.PadRight(nameWidth)}  {line}");
        }

        if (report.ParamsApplied)
        {
            o.WriteLine("(the guest's KBP threads run with the module's parameters, --apply-params; its CPUs are the scenario's)");
        }

        o.WriteLine();
        var columns = new List<(string Side, string Thread, KbpCounters Counters)>();
        foreach (CalibrationSide side in report.Sides)
        {
            columns.AddRange(side.Threads.Select(t => (side.Name, $"cpu {t.Cpu}", t.Counters)));
            columns.Add((side.Name, "total", side.Total));
        }

        var rows = new List<(string Label, Func<KbpCounters, string> Cell)>
        {
            ("schedules", c => Count(c.Schedules)),
            ("polls", c => Count(c.Polls)),
            ("packets", c => Count(c.Packets)),
            ("requeues", c => Count(c.Requeues)),
            ("wakeups", c => Count(c.Wakeups)),
            ("idle loops", c => Count(c.IdleLoops)),
            ("empty polls / poll", c => Share(c.EmptyPollRatio)),
            ("packets / poll", c => Ratio(c.PacketsPerPoll)),
            ("requeues / poll", c => Share(c.RequeueRatio)),
            ("sched-to-poll mean", c => Time(c.SchedToPollMeanNs)),
            ("sched-to-poll max", c => c.SchedToPollCount == 0 ? "-" : SimTime.Format(c.SchedToPollMaxNs)),
        };
        for (int b = 0; b < KbpBatchHistogram.BucketCount; b++)
        {
            int bucket = b;
            rows.Add(($"batch {KbpBatchHistogram.Label(bucket)}", c => Share(c.Batch.Share(bucket))));
        }

        List<string[]> table =
        [
            [string.Empty, .. columns.Select(c => c.Side)],
            [string.Empty, .. columns.Select(c => c.Thread)],
        ];
        table.AddRange(rows.Select(r => (string[])[r.Label, .. columns.Select(c => r.Cell(c.Counters))]));
        int[] widths = Enumerable.Range(0, columns.Count + 1).Select(i => table.Max(row => row[i].Length)).ToArray();
        foreach (string[] row in table)
        {
            IEnumerable<string> cells = row.Select((cell, i) => i == 0 ? cell.PadRight(widths[0]) : cell.PadLeft(widths[i]));
            o.WriteLine(string.Join("  ", cells).TrimEnd());
        }

        o.WriteLine();
        o.WriteLine("batch: share of polls by poll() result (0 = empty poll); idle loops: naps (sleep) or spin turns (busy;");
        o.WriteLine("the model's are its spin time / PollLoopNs, an assumption); the model does not forward napis (no remote schedules).");
    }

    /// <summary>A counter, with thousands separators.</summary>
    public static string Count(long value) => value.ToString("N0", C);

    /// <summary>A share in percent with one decimal; a non-zero share below 0.05% shows as &lt;0.1%; "-" when undefined.</summary>
    public static string Share(double share) => double.IsNaN(share)
        ? "-"
        : share > 0 && share < 0.0005 ? "<0.1%" : (share * 100).ToString("0.0", C) + "%";

    /// <summary>A ratio with two decimals; "-" when undefined.</summary>
    public static string Ratio(double value) => double.IsNaN(value) ? "-" : value.ToString("0.00", C);

    /// <summary>A duration; "-" when undefined.</summary>
    public static string Time(double ns) => double.IsNaN(ns) ? "-" : SimTime.Format((long)Math.Round(ns));
}
