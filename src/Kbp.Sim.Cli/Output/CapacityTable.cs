using System.Globalization;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Time;

namespace Kbp.Sim.Cli.Output;

/// <summary>The console report of <c>kbp-sim capacity</c>: the analytic stage table, then the answers or the map.</summary>
internal static class CapacityTable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Write(TextWriter o, CapacityResult r, double hostClockHz, double wallSeconds)
    {
        string layer = Layer(r);
        string question = r.Question switch
        {
            CapacityQuestion.FrameSizeLimit => string.Create(C, $"the smallest frame size meeting {r.Slo} at each rate ({layer}); frame sizes 64..{Capacity.MaxSearchFrameBytes} B in steps of {r.StepBytes} B"),
            CapacityQuestion.MaxRate => string.Create(C, $"the highest rate ({layer}) meeting {r.Slo} at each frame size; rates in steps of {r.Resolution:0.###%}"),
            _ => $"pass/fail map of {r.Slo} over frame sizes and rates ({layer})",
        };
        o.WriteLine(string.Create(C, $"capacity {r.Scenario}: {question}; trials of {Units.FormatDuration(r.TrialNs)}, seed {r.Seed}"));
        o.WriteLine();
        WriteBudget(o, r.Budget, hostClockHz);
        o.WriteLine();
        switch (r.Question)
        {
            case CapacityQuestion.FrameSizeLimit:
                WriteFrameSizeLimits(o, r);
                break;
            case CapacityQuestion.MaxRate:
                WriteMaxRates(o, r);
                break;
            default:
                WriteGrid(o, r, r.Grid!);
                break;
        }

        var trials = r.AllTrials.ToList();
        int speculative = r.Answers.Sum(a => a.Speculative);
        string spec = speculative > 0 ? string.Create(C, $", and {speculative} run ahead in parallel but not needed") : string.Empty;
        o.WriteLine(string.Create(C, $"{trials.Count} trials ({trials.Count(t => t.StoppedEarly)} stopped at their first violation, {trials.Count(t => t.OverLine)} over the line rate, not run){spec}: {r.Events:N0} events in {wallSeconds:F1} s wall"));
    }

    /// <summary>The stage table: per stage and per CPU, the time per frame, the line, the bottleneck and the kick arithmetic.</summary>
    public static void WriteBudget(TextWriter o, StageBudget b, double hostClockHz)
    {
        o.WriteLine(string.Create(C, $"analytic estimate: CPU time per frame of each stage at the host clock ({hostClockHz / 1e9:0.###} GHz), from the calibration profile"));
        var rows = new List<string[]> { new[] { "stage", "where", "per frame", "profile keys" } };
        foreach (StageCost s in b.Stages)
        {
            string time = s.KickShareNs > 0 ? $"{Us(s.WorkNs)} + kick 0..{Us(s.KickShareNs)}" : Us(s.WorkNs);
            rows.Add([s.Stage, s.Where, time, s.Formula]);
        }

        rows.Add(["NIC line, each direction", Units.FormatRate(b.LineRateBps), string.Create(C, $"(frame + 20 B) x {8e9 / b.LineRateBps:0.###}ns"), "nic.rate"]);
        WriteRows(o, rows, "  ", rightAligned: [2]);
        var cpus = b.Cpus.Select(c => $"{c.Where} {Range(c.WorkNs, c.HighNs, v => Us(v))}");
        o.WriteLine($"  per CPU: {string.Join("; ", cpus)}");
        CpuLoad busiest = b.Bottleneck;
        double fastest = 1e9 / busiest.HighNs;
        double slowest = 1e9 / b.CpuNsPerFrame(conservative: false);
        o.WriteLine(string.Create(C, $"  busiest CPU: {busiest.Where} ({busiest.Names}), {Range(b.CpuNsPerFrame(false), busiest.HighNs, v => Us(v))} per frame: at most {Range(fastest, slowest, v => v.ToString("N0", C))} frames/s at any frame size, less where the line is slower"));
        if (b.Kick is KickCycle k)
        {
            string n = k.FramesPerKick == 0
                ? "never: vhost's transmit work is as slow as the application, so it never empties the ring"
                : string.Create(C, $"1 + floor({Us(k.VhostWakeNs)} / ({Us(k.AppNs)} - {Us(k.VhostTxNs)})) = {k.FramesPerKick} frames");
            o.WriteLine($"  kick: a VM exit of {Us(k.KickNs)}; vhost-net keeps kicks off while handle_tx runs ({Us(k.VhostTxNs)}/frame) and a sleeping vhost needs a context switch ({Us(k.VhostWakeNs)}) to start it,");
            o.WriteLine($"        so with vhost otherwise idle one kick serves {n}; vhost's receive work delays it further, so the share lies between 0 and {Us(k.MaxShareNs)} per frame");
        }
    }

    private static void WriteFrameSizeLimits(TextWriter o, CapacityResult r)
    {
        string other = r.Answers.FirstOrDefault()?.RateIsL1 == true ? "L2" : "L1";
        var rows = new List<string[]> { new[] { "rate", $"analytic ({LayerShort(r)})", $"if counted at {other}", "simulated", "fails at", "steps off", "trials" } };
        foreach (CapacityAnswer a in r.Answers)
        {
            rows.Add(
            [
                Rfc2544Table.Rate(a.FixedRateBps),
                Range(a.Analytic.Optimistic, a.Analytic.Conservative, Bytes),
                Range(a.Analytic.OtherLayerOptimistic, a.Analytic.OtherLayerConservative, Bytes),
                a.Answer is double ans ? Bytes(ans) : $"none up to {Capacity.MaxSearchFrameBytes}B",
                a.Failing is double f ? Bytes(f) : "-",
                a.StepsFromAnalytic?.ToString(C) ?? "-",
                Trials(a),
            ]);
        }

        WriteRows(o, rows, string.Empty, rightAligned: [0, 1, 2, 3, 4, 5, 6]);
        WriteAnswerDetails(o, r, a => Rfc2544Table.Rate(a.FixedRateBps), a => a.Failing is double f ? Bytes(f) : null);
    }

    private static void WriteMaxRates(TextWriter o, CapacityResult r)
    {
        string other = r.Answers.FirstOrDefault()?.RateIsL1 == true ? "L2" : "L1";
        var rows = new List<string[]> { new[] { "frame", $"analytic ({LayerShort(r)})", $"same at {other}", "simulated", "frames/s", "fails at", "steps off", "trials" } };
        foreach (CapacityAnswer a in r.Answers)
        {
            rows.Add(
            [
                $"{a.FixedFrameBytes}B",
                Range(a.Analytic.Conservative, a.Analytic.Optimistic, Rfc2544Table.Rate),
                Range(a.Analytic.OtherLayerConservative, a.Analytic.OtherLayerOptimistic, Rfc2544Table.Rate),
                a.Answer is double ans ? Rfc2544Table.Rate(ans) : "none",
                a.AtAnswer is { } t ? t.Point.FramesPerSecond.ToString("N0", C) : "-",
                a.Failing is double f ? Rfc2544Table.Rate(f) : "-",
                a.StepsFromAnalytic?.ToString(C) ?? "-",
                Trials(a),
            ]);
        }

        WriteRows(o, rows, string.Empty, rightAligned: [0, 1, 2, 3, 4, 5, 6, 7]);
        WriteAnswerDetails(o, r, a => $"{a.FixedFrameBytes}B", a => a.Failing is double f ? Rfc2544Table.Rate(f) : null);
    }

    private static void WriteAnswerDetails(TextWriter o, CapacityResult r, Func<CapacityAnswer, string> name, Func<CapacityAnswer, string?> failingName)
    {
        foreach (CapacityAnswer a in r.Answers)
        {
            AnalyticEstimate e = a.Analytic;
            o.WriteLine($"{name(a)}: analytic bottleneck {e.Bottleneck}, {Range(e.NsPerFrame.Optimistic, e.NsPerFrame.Conservative, v => Us(v))} per frame");
            if (a.AtAnswer is { } at)
            {
                o.WriteLine($"  at the answer: {Delays(at)}");
            }

            if (a.Boundary is { } b && failingName(a) is string failing)
            {
                o.WriteLine($"  at {failing} (full-length trial): {Mechanism(b, r.Slo)}");
            }
        }
    }

    private static void WriteGrid(TextWriter o, CapacityResult r, CapacityGrid g)
    {
        var header = new List<string> { "frame" };
        header.AddRange(g.RatesBps.Select(x => Rfc2544Table.Rate(x)));
        header.Add("analytic max rate");
        var rows = new List<string[]> { header.ToArray() };
        for (int s = 0; s < g.FrameSizes.Count; s++)
        {
            var row = new List<string> { $"{g.FrameSizes[s]}B" };
            (double opt, double cons) = g.AnalyticMaxRateBps[s];
            foreach (CapacityTrialOutcome cell in g.Cells[s])
            {
                double rate = cell.Point.RateBps;
                char mark = rate <= cons * (1 + 1e-9) ? '+' : rate > opt * (1 + 1e-9) ? '-' : '?';
                string verdict = cell.OverLine ? "over" : cell.Passed ? "pass" : "FAIL";
                bool agrees = mark == '?' || (mark == '+') == cell.Passed;
                row.Add(verdict + (mark == '?' ? "?" : agrees ? " " : "*"));
            }

            row.Add(Range(cons, opt, Rfc2544Table.Rate));
            rows.Add(row.ToArray());
        }

        WriteRows(o, rows, string.Empty, rightAligned: Enumerable.Range(0, header.Count).ToArray());
        o.WriteLine("pass/FAIL: the trial met/broke the objective; over: the rate does not fit on the line at that frame size (not run);");
        o.WriteLine("* the analytic estimate says otherwise; ? the analytic estimate is undecided (inside the kick range)");
        IReadOnlyList<int> boundary = g.BoundaryRateIndex;
        o.WriteLine("boundary (the highest rate up to which every rate passed, and what broke at the next one):");
        for (int s = 0; s < g.FrameSizes.Count; s++)
        {
            int b = boundary[s];
            string passed = b >= 0 ? Rfc2544Table.Rate(g.RatesBps[b]) : "none";
            string next = b + 1 < g.RatesBps.Count ? $"; at {Rfc2544Table.Rate(g.RatesBps[b + 1])}: {Mechanism(g.Cells[s][b + 1], r.Slo)}" : string.Empty;
            o.WriteLine($"  {g.FrameSizes[s]}B: {passed}{next}");
        }

        if (g.NotMonotone.Count > 0)
        {
            o.WriteLine($"not monotone in the rate (a pass above a failure) at {string.Join(", ", g.NotMonotone.Select(f => $"{f}B"))}: rare events decide those trials; longer trials settle them");
        }
    }

    /// <summary>What a failing trial shows: the broken bound, where frames were dropped, what the late frames waited for, and the model's counters.</summary>
    public static string Mechanism(CapacityTrialOutcome t, Slo slo)
    {
        if (t.OverLine || t.Passed)
        {
            return t.Passed ? $"passed ({Delays(t)})" : t.Violation!;
        }

        var parts = new List<string> { t.Violation! };
        if (t.MainDropSite is DropReason site)
        {
            parts.Add($"dropped at {site} ({DropMeaning(site)})");
        }

        if (t.FirstLateCause is WaitCause late)
        {
            parts.Add($"the first late frame waited longest in {late}");
        }

        if (slo.Bounds.Any(b => b.Kind != SloKind.NoLoss) && t.TailCauses.Count > 0)
        {
            parts.Add("tail: " + string.Join(", ", t.TailCauses.Take(2).Select(c => string.Create(C, $"{c.Cause} {c.Share:P0}"))));
        }

        if (t.Counters is TrialCounters k)
        {
            var counters = new List<string> { $"application {Us(k.AppNsPerFrame)}/frame" };
            if (k.VhostNsPerFrame is double v)
            {
                counters.Add($"vhost-net {Us(v)}/frame");
            }

            if (k.KicksPerFrame is double kicks)
            {
                counters.Add(string.Create(C, $"{kicks:0.00} kicks/frame"));
            }

            counters.Add(string.Create(C, $"a frame every {Us(1e9 / t.Point.FramesPerSecond)}"));
            parts.Add(string.Join(", ", counters));
        }

        return string.Join("; ", parts);
    }

    private static string DropMeaning(DropReason site) => site switch
    {
        DropReason.NicRxRing => "the host NIC's Rx ring: its poller fell behind",
        DropReason.NicTxRing => "the NIC's Tx ring: the line is full",
        DropReason.TapQueue => "the tap queue before vhost-net: vhost, or the guest behind it, fell behind",
        DropReason.Virtqueue => "a full virtqueue: the guest's Rx ring (OvS-DPDK) or its Tx ring (vhost-net behind)",
        DropReason.Backlog => "a CPU's backlog: its NET_RX processing fell behind",
        DropReason.SocketBuffer => "the socket's receive buffer: the application fell behind",
        _ => site.ToString(),
    };

    private static string Delays(CapacityTrialOutcome t) =>
        t.Latency.Count == 0 ? "no frame back" : $"p99.9 {SimTime.Format(t.Latency.P999Ns)}, max {SimTime.Format(t.Latency.MaxNs)}, {t.Received.ToString("N0", C)} frames";

    private static string Trials(CapacityAnswer a) =>
        a.Speculative > 0 ? string.Create(C, $"{a.Trials.Count}+{a.Speculative}") : a.Trials.Count.ToString(C);

    private static string Layer(CapacityResult r) =>
        (r.Grid?.RateIsL1 ?? r.Answers.FirstOrDefault()?.RateIsL1 ?? false) ? "L1: preamble, SFD and IFG counted" : "L2: frame bits only";

    private static string LayerShort(CapacityResult r) =>
        (r.Grid?.RateIsL1 ?? r.Answers.FirstOrDefault()?.RateIsL1 ?? false) ? "L1" : "L2";

    private static string Us(double ns) => string.Create(C, $"{ns / 1000:0.00}us");

    private static string Bytes(double bytes) =>
        double.IsPositiveInfinity(bytes) ? "none" : bytes == Math.Floor(bytes) ? string.Create(C, $"{bytes:0}B") : string.Create(C, $"{bytes:0.0}B");

    private static string Range(double a, double b, Func<double, string> format)
    {
        string x = format(a), y = format(b);
        return x == y ? x : $"{x}..{y}";
    }

    private static void WriteRows(TextWriter o, List<string[]> rows, string indent, int[] rightAligned)
    {
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(row => row[i].Length)).ToArray();
        foreach (string[] row in rows)
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 && !rightAligned.Contains(i) ? cell : rightAligned.Contains(i) ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            o.WriteLine((indent + string.Join("  ", cells)).TrimEnd());
        }
    }
}
