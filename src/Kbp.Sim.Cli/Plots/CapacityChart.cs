using Kbp.Sim.Models.Experiments;
using ScottPlot;

namespace Kbp.Sim.Cli.Plots;

/// <summary>
/// The plots of <c>kbp-sim capacity</c>: the pass/fail map of a grid with its boundary and the
/// analytic one, or the answers of the searches against the analytic curve.
/// </summary>
internal static class CapacityChart
{
    /// <summary>The plot for <paramref name="r"/>: the map of a grid, else the answers.</summary>
    public static Plot For(CapacityResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.Question switch
        {
            CapacityQuestion.Grid => Map(r, r.Grid!),
            CapacityQuestion.MaxRate => MaxRates(r),
            _ => FrameSizeLimits(r),
        };
    }

    /// <summary>
    /// The grid as a heat map: a cell per (frame size, rate), green where the trial met the
    /// objective, red where it broke it, grey over the line rate; the simulated boundary as a
    /// black step line, the analytic highest rate (optimistic and conservative) as dashed lines.
    /// </summary>
    public static Plot Map(CapacityResult r, CapacityGrid g)
    {
        var plot = new Plot();
        int columns = g.FrameSizes.Count, rows = g.RatesBps.Count;
        for (int s = 0; s < columns; s++)
        {
            for (int k = 0; k < rows; k++)
            {
                CapacityTrialOutcome cell = g.Cells[s][k];
                var rect = plot.Add.Rectangle(s - 0.5, s + 0.5, k - 0.5, k + 0.5);
                rect.FillStyle.Color = cell.OverLine ? Colors.Gray.WithAlpha(0.4) : cell.Passed ? Colors.Green.WithAlpha(0.55) : Colors.Red.WithAlpha(0.55);
                rect.LineStyle.Color = Colors.White;
                rect.LineStyle.Width = 1;
                var text = plot.Add.Text(cell.OverLine ? "over" : cell.Passed ? "pass" : "FAIL", s, k);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 12;
            }
        }

        // The simulated boundary: the top edge of the highest cell below which every cell passed.
        var bx = new List<double>();
        var by = new List<double>();
        IReadOnlyList<int> boundary = g.BoundaryRateIndex;
        for (int s = 0; s < columns; s++)
        {
            bx.Add(s - 0.5);
            by.Add(boundary[s] + 0.5);
            bx.Add(s + 0.5);
            by.Add(boundary[s] + 0.5);
        }

        var sim = plot.Add.ScatterLine(bx.ToArray(), by.ToArray(), Colors.Black);
        sim.LineWidth = 3;
        sim.LegendText = "simulated boundary (every lower rate passed)";

        double[] xs = Enumerable.Range(0, columns).Select(s => (double)s).ToArray();
        var optimistic = plot.Add.ScatterLine(xs, g.AnalyticMaxRateBps.Select(a => RateRow(g.RatesBps, a.Optimistic)).ToArray(), Colors.Blue);
        optimistic.LineWidth = 2;
        optimistic.LegendText = "analytic highest rate, no kicks";
        if (g.AnalyticMaxRateBps.Any(a => a.Optimistic != a.Conservative))
        {
            var conservative = plot.Add.ScatterLine(xs, g.AnalyticMaxRateBps.Select(a => RateRow(g.RatesBps, a.Conservative)).ToArray(), Colors.Purple);
            conservative.LineWidth = 2;
            conservative.LegendText = "analytic highest rate, most kicks";
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xs, g.FrameSizes.Select(f => $"{f} B").ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows).Select(k => (double)k).ToArray(), g.RatesBps.Select(x => Output.Rfc2544Table.Rate(x)).ToArray());
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
        plot.Title($"{r.Scenario}: {r.Slo} ({Layer(g.RateIsL1)} rates), trials of {Kbp.Sim.Models.Scenarios.Units.FormatDuration(r.TrialNs)}");
        plot.XLabel("frame size");
        plot.YLabel($"offered rate ({Layer(g.RateIsL1)}); analytic lines interpolated between rows");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>Highest rate per frame size: the simulated answers as points, the analytic range as curves over the sizes.</summary>
    public static Plot MaxRates(CapacityResult r)
    {
        var plot = new Plot();
        bool l1 = r.Answers.FirstOrDefault()?.RateIsL1 ?? false;
        int low = r.Answers.Min(a => a.FixedFrameBytes), high = r.Answers.Max(a => a.FixedFrameBytes);
        low = Math.Max(Kbp.Sim.Models.Hardware.Ethernet.MinFrameBytes, low - 256);
        high = Math.Max(high + 256, low + 512);
        double[] sizes = Enumerable.Range(low, high - low + 1).Select(f => (double)f).ToArray();
        Curve(plot, sizes, sizes.Select(f => r.Budget.MaxRateBps((int)Math.Round(f), l1, conservative: false) / 1e6).ToArray(), Colors.Blue, "analytic, no kicks");
        if (r.Budget.IsRange)
        {
            Curve(plot, sizes, sizes.Select(f => r.Budget.MaxRateBps((int)Math.Round(f), l1, conservative: true) / 1e6).ToArray(), Colors.Purple, "analytic, most kicks");
        }

        Points(plot, r.Answers.Where(a => a.Answer is not null).Select(a => ((double)a.FixedFrameBytes, a.Answer!.Value / 1e6)).ToList(), Colors.Black, MarkerShape.FilledCircle, "simulated: highest rate that passed");
        Points(plot, r.Answers.Where(a => a.Failing is not null).Select(a => ((double)a.FixedFrameBytes, a.Failing!.Value / 1e6)).ToList(), Colors.Red, MarkerShape.OpenCircle, "simulated: next rate, failed");
        plot.Title($"{r.Scenario}: highest rate meeting {r.Slo}");
        plot.XLabel("frame size (bytes)");
        plot.YLabel($"offered rate, Mbps ({Layer(l1)})");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>Frame-size limit per rate: the simulated answers as points, the analytic range as curves over the rates.</summary>
    public static Plot FrameSizeLimits(CapacityResult r)
    {
        var plot = new Plot();
        bool l1 = r.Answers.FirstOrDefault()?.RateIsL1 ?? false;
        double top = r.Answers.Max(a => a.FixedRateBps) * 1.25;
        double[] rates = Enumerable.Range(1, 200).Select(i => top * i / 200.0).ToArray();
        double[] Limit(bool conservative) => rates.Select(x => Math.Min(Capacity.MaxSearchFrameBytes, r.Budget.FrameSizeLimitBytes(x, l1, conservative))).ToArray();
        double[] mbps = rates.Select(x => x / 1e6).ToArray();
        Curve(plot, mbps, Limit(conservative: false), Colors.Blue, "analytic, no kicks");
        if (r.Budget.IsRange)
        {
            Curve(plot, mbps, Limit(conservative: true), Colors.Purple, "analytic, most kicks");
        }

        Points(plot, r.Answers.Where(a => a.Answer is not null).Select(a => (a.FixedRateBps / 1e6, a.Answer!.Value)).ToList(), Colors.Black, MarkerShape.FilledCircle, "simulated: smallest frame size that passed");
        Points(plot, r.Answers.Where(a => a.Failing is not null).Select(a => (a.FixedRateBps / 1e6, a.Failing!.Value)).ToList(), Colors.Red, MarkerShape.OpenCircle, "simulated: next smaller size, failed");
        plot.Title($"{r.Scenario}: smallest frame size meeting {r.Slo}");
        plot.XLabel($"offered rate, Mbps ({Layer(l1)})");
        plot.YLabel("frame size (bytes)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <remarks>Solid lines only: SkiaSharp's SVG canvas warns on stderr about a dash effect when markers follow dashed lines.</remarks>
    private static void Curve(Plot plot, double[] xs, double[] ys, Color color, string legend)
    {
        var line = plot.Add.ScatterLine(xs, ys, color);
        line.LineWidth = 2;
        line.LegendText = legend;
    }

    private static void Points(Plot plot, List<(double X, double Y)> points, Color color, MarkerShape shape, string legend)
    {
        if (points.Count == 0)
        {
            return;
        }

        var markers = plot.Add.Markers(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), shape, 10, color);
        markers.LegendText = legend;
    }

    /// <summary>A rate's position on the map's row axis: log-interpolated between the rows' rates, clamped to the map's edges.</summary>
    private static double RateRow(IReadOnlyList<long> rows, double bps)
    {
        if (bps <= rows[0])
        {
            return rows.Count == 1 || bps <= 0 ? -0.5 : Math.Max(-0.5, -Math.Log(rows[0] / bps) / Math.Log((double)rows[1] / rows[0]));
        }

        for (int k = 0; k + 1 < rows.Count; k++)
        {
            if (bps <= rows[k + 1])
            {
                return k + (Math.Log(bps / rows[k]) / Math.Log((double)rows[k + 1] / rows[k]));
            }
        }

        return rows.Count == 1 ? 0.5 : Math.Min(rows.Count - 0.5, rows.Count - 1 + (Math.Log(bps / rows[^1]) / Math.Log((double)rows[^1] / rows[^2])));
    }

    private static string Layer(bool l1) => l1 ? "L1" : "L2";
}
