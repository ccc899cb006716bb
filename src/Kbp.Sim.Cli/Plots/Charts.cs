using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Explaining;
using Kbp.Sim.Statistics;
using ScottPlot;

namespace Kbp.Sim.Cli.Plots;

/// <summary>The plot kinds of <c>kbp-sim plot</c> and <c>--plot DIR</c>. Each returns a ScottPlot plot; <see cref="PlotFiles"/> saves it.</summary>
internal static class Charts
{
    private static readonly Color[] Palette = [Colors.C0, Colors.C1, Colors.C2, Colors.C3, Colors.C4, Colors.C5, Colors.C6, Colors.C7, Colors.C8, Colors.C9];

    /// <summary>
    /// RTT complementary CDF, both axes logarithmic: for each run, the fraction of frames
    /// whose round trip exceeds x. The tail is where NAPI and KBP differ.
    /// </summary>
    public static Plot RttCcdf(IReadOnlyList<(string Label, LatencyRecorder Rtt)> runs, string title, string what = "round trip")
    {
        var plot = new Plot();
        double minX = double.MaxValue, maxX = double.MinValue;
        int lowestExp = 0;
        for (int i = 0; i < runs.Count; i++)
        {
            (string label, LatencyRecorder rtt) = runs[i];
            if (rtt.Count == 0)
            {
                continue;
            }

            var xs = new List<double>();
            var ys = new List<double>();
            int maxExp = (int)Math.Floor(Math.Log10(rtt.Count));
            lowestExp = Math.Min(lowestExp, -maxExp);
            for (double k = 0; k <= maxExp; k += 0.02)
            {
                double exceed = Math.Pow(10, -k);
                xs.Add(Math.Log10(Math.Max(1, rtt.PercentileNs(100 * (1 - exceed))) / 1000.0));
                ys.Add(-k);
            }

            // The maximum: one frame of Count.
            xs.Add(Math.Log10(rtt.MaxNs / 1000.0));
            ys.Add(-Math.Log10(rtt.Count));
            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), Palette[i % Palette.Length]);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.LinePattern = i % 2 == 1 ? LinePattern.Dashed : LinePattern.Solid;
            line.LegendText = $"{label} (max {Kbp.Sim.Time.SimTime.Format(rtt.MaxNs)})";
            minX = Math.Min(minX, xs.Min());
            maxX = Math.Max(maxX, xs.Max());
        }

        int lowX = (int)Math.Floor(minX == double.MaxValue ? 0 : minX);
        int highX = (int)Math.Ceiling(maxX == double.MinValue ? 1 : maxX);
        plot.Axes.Bottom.TickGenerator = PlotFiles.LogTicks(lowX, highX, PlotFiles.MicrosecondsLabel);
        plot.Axes.Left.TickGenerator = PlotFiles.LogTicks(lowestExp, 0, e => e == 0 ? "1" : $"1e{e}");
        plot.Axes.SetLimits(lowX, highX, lowestExp - 0.1, 0.1);
        var oneMs = plot.Add.VerticalLine(3, 1, Colors.Gray, LinePattern.Dashed);
        oneMs.LegendText = "1 ms";
        plot.Title(title);
        plot.XLabel($"{what} (log scale)");
        plot.YLabel($"fraction of frames with a longer {what} (log scale)");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    /// <summary>
    /// Per-stage delay: for each stage of the path and each run, the mean and the maximum,
    /// as bars on a logarithmic axis (a stage's mean is µs, its maximum can be ms).
    /// </summary>
    public static Plot StageBreakdown(IReadOnlyList<(string Label, IReadOnlyList<LatencyRecorder> Stages)> runs, string title)
    {
        var plot = new Plot();
        // Stages every frame passes in no time (the tester's port after txh2) are left out.
        string[] stageNames = runs[0].Stages.Where(s => s.Count > 0 && runs.Any(r => r.Stages.Any(x => x.Name == s.Name && x.MaxNs > 0))).Select(s => s.Name).ToArray();
        int series = runs.Count * 2;
        double width = 0.8 / series;
        const double floorExp = -1; // 100 ns: the bars start here
        double top = 0;
        int k = 0;
        int run = 0;
        foreach ((string label, IReadOnlyList<LatencyRecorder> stages) in runs)
        {
            Color color = Palette[run++ % Palette.Length];
            for (int stat = 0; stat < 2; stat++)
            {
                var bars = new List<Bar>();
                for (int s = 0; s < stageNames.Length; s++)
                {
                    LatencyRecorder? r = stages.FirstOrDefault(x => x.Name == stageNames[s]);
                    if (r is null || r.Count == 0)
                    {
                        continue;
                    }

                    double ns = stat == 0 ? r.MeanNs : r.MaxNs;
                    double value = Math.Max(floorExp, Math.Log10(Math.Max(ns, 1) / 1000.0));
                    top = Math.Max(top, value);
                    bars.Add(new Bar
                    {
                        Position = s - 0.4 + (width * (k + 0.5)),
                        ValueBase = floorExp,
                        Value = value,
                        Size = width * 0.95,
                        FillColor = stat == 0 ? color.WithAlpha(0.45) : color,
                    });
                }

                var barPlot = plot.Add.Bars(bars);
                barPlot.LegendText = $"{label}: {(stat == 0 ? "mean" : "max")}";
                k++;
            }
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, stageNames.Length).Select(i => (double)i).ToArray(), stageNames);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 90;
        int highExp = (int)Math.Ceiling(top + 0.01);
        plot.Axes.Left.TickGenerator = PlotFiles.LogTicks((int)floorExp, Math.Max(highExp, 1), PlotFiles.MicrosecondsLabel);
        plot.Axes.SetLimits(-0.6, stageNames.Length - 0.4, floorExp, Math.Max(highExp, 1));
        plot.Title(title);
        plot.YLabel("delay in the stage (log scale)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>
    /// Histogram of the time between consecutive frames passing a probe (the paper's Fig. 2:
    /// frames sent at a constant rate leave the guest in micro-bursts). The x axis runs to
    /// a few times the sending interval; counts are on a log axis.
    /// </summary>
    public static Plot IntervalHistogram(IReadOnlyList<(string Probe, long[] TimesNs)> probes, long sendIntervalNs, string title)
    {
        var plot = new Plot();
        double binUs = Math.Max(0.1, sendIntervalNs / 1000.0 / 20);
        double maxUs = 4 * sendIntervalNs / 1000.0;
        int bins = (int)Math.Ceiling(maxUs / binUs);
        double highest = 0;
        for (int p = 0; p < probes.Count; p++)
        {
            long[] times = probes[p].TimesNs.Where(t => t >= 0).Order().ToArray();
            var counts = new double[bins + 1];
            for (int i = 1; i < times.Length; i++)
            {
                double us = (times[i] - times[i - 1]) / 1000.0;
                counts[Math.Min(bins, (int)(us / binUs))]++;
            }

            double[] xs = Enumerable.Range(0, bins + 1).Select(b => b * binUs).ToArray();
            double[] ys = counts.Select(c => c > 0 ? Math.Log10(c) : -0.5).ToArray();
            highest = Math.Max(highest, ys.Max());
            var line = plot.Add.ScatterLine(xs, ys, Palette[p % Palette.Length]);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.LinePattern = p % 2 == 1 ? LinePattern.Dashed : LinePattern.Solid;
            line.LegendText = $"at {probes[p].Probe} ({times.Length:N0} frames; last bin: {Kbp.Sim.Time.SimTime.Format((long)(maxUs * 1000))} or more)";
        }

        var send = plot.Add.VerticalLine(sendIntervalNs / 1000.0, 1, Colors.Gray, LinePattern.Dashed);
        send.LegendText = $"the tester's mean sending interval, {Kbp.Sim.Time.SimTime.Format(sendIntervalNs)}";
        int high = (int)Math.Ceiling(highest + 0.01);
        plot.Axes.Left.TickGenerator = PlotFiles.LogTicks(0, Math.Max(1, high), e => Math.Pow(10, e).ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        plot.Axes.SetLimits(0, maxUs + binUs, -0.5, Math.Max(1, high));
        plot.Title(title);
        plot.XLabel("time since the previous frame passed the probe (us)");
        plot.YLabel("frames (log scale; below 1 = none)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>
    /// Simulated against the paper: for every claim with a numeric ratio (simulated / paper),
    /// a horizontal bar on a log axis; 1 is a perfect match. Each claim has its own pass
    /// band (docs/validation.md): the colour says whether it held.
    /// </summary>
    public static Plot PaperRatios(IReadOnlyList<(string Label, double Ratio, bool Holds)> claims, string title)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        double extreme = 1;
        for (int i = 0; i < claims.Count; i++)
        {
            double v = Math.Log10(Math.Max(1e-6, claims[i].Ratio));
            extreme = Math.Max(extreme, Math.Abs(v));

            // The first claim at the top.
            bars.Add(new Bar { Position = claims.Count - 1 - i, ValueBase = 0, Value = v, FillColor = claims[i].Holds ? Colors.C2 : Colors.C3, Size = 0.7 });
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        plot.Add.VerticalLine(0, 1, Colors.Black);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "the claim's band holds", FillColor = Colors.C2, LineWidth = 0 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "it fails", FillColor = Colors.C3, LineWidth = 0 });
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, claims.Count).Select(i => (double)(claims.Count - 1 - i)).ToArray(), claims.Select(c => c.Label).ToArray());
        plot.Axes.Left.MinimumSize = Math.Min(600, 7 * claims.Select(c => c.Label.Length).DefaultIfEmpty(10).Max());
        int e = (int)Math.Ceiling(extreme);
        plot.Axes.Bottom.TickGenerator = PlotFiles.LogTicks(-e, e, x => x == 0 ? "1 (= paper)" : x > 0 ? $"x{Math.Pow(10, x):0.###}" : $"/{Math.Pow(10, -x):0.###}");
        plot.Axes.SetLimits(-e, e, -0.6, claims.Count - 0.4);
        plot.Title(title);
        plot.XLabel("simulated / paper (log scale)");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>
    /// One CPU around the worst frame: a strip per context class (hardIRQ, softIRQ, RT, CFS)
    /// with its running segments, the softIRQ vectors below, and the frame's probes as lines.
    /// </summary>
    public static Plot Timeline(TimelineRecorder timeline, string processor, PacketJourney frame, long fromNs, long toNs, string title)
    {
        var plot = new Plot();
        string[] rows = ["softIRQ vectors", "CFS threads", "RT threads", "softIRQ sections", "hardIRQ", "the frame"];
        var contexts = new Dictionary<string, Color>(StringComparer.Ordinal);
        Color ColorOf(string name)
        {
            if (!contexts.TryGetValue(name, out Color c))
            {
                c = Palette[contexts.Count % Palette.Length];
                contexts[name] = c;
                var legend = new LegendItem { LabelText = name, FillColor = c, LineWidth = 0 };
                plot.Legend.ManualItems.Add(legend);
            }

            return c;
        }

        double Ms(long ns) => (ns - fromNs) / 1e6;
        void Box(long start, long end, int row, Color color)
        {
            long s = Math.Max(start, fromNs);
            long e = Math.Min(end, toNs);
            if (e <= s)
            {
                return;
            }

            var rect = plot.Add.Rectangle(Ms(s), Ms(e), row - 0.35, row + 0.35);
            rect.FillStyle.Color = color;
            rect.LineStyle.Width = 0;
        }

        foreach (TimelineSlice s in timeline.Slices.Where(s => s.Processor == processor))
        {
            int row = s.PriorityClass switch { 0 => 4, 1 => 3, 2 => 2, _ => 1 };
            Box(s.StartNs, s.EndNs, row, ColorOf(WaitWords.NameOf(s)));
        }

        foreach (TimelineSlice s in timeline.Vectors.Where(s => s.Processor == processor))
        {
            Box(s.StartNs, s.EndNs, 0, ColorOf("vector " + s.Context["softirq:".Length..]));
        }

        // The frame's own row: its stages, dark where the stage ended on this CPU (the frame
        // was waiting for, or being processed by, this CPU), light where it was elsewhere.
        Color here = Colors.Black.WithAlpha(0.75);
        Color elsewhere = Colors.Gray.WithAlpha(0.3);
        for (int i = 0; i + 1 < frame.Probes.Count; i++)
        {
            Box(frame.Probes[i].AtNs, frame.Probes[i + 1].AtNs, 5, frame.Probes[i + 1].Processor == processor ? here : elsewhere);
        }

        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"frame {frame.Frame.Id}: a stage that ended on this CPU", FillColor = here, LineWidth = 0 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"frame {frame.Frame.Id}: a stage elsewhere", FillColor = elsewhere, LineWidth = 0 });

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([0, 1, 2, 3, 4, 5], rows);
        plot.Axes.SetLimits(0, Ms(toNs), -0.6, 5.6);
        plot.Title(title);
        plot.XLabel($"ms from {fromNs / 1e6:F3} ms (simulated time since the run began)");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>
    /// Grouped bars: for each point (a sweep point, a frame size) one bar per series. With
    /// <paramref name="logTime"/> the values are nanoseconds on a logarithmic time axis;
    /// otherwise they are drawn as given, labelled by <paramref name="valueLabel"/>.
    /// </summary>
    public static Plot PointBars(IReadOnlyList<string> points, IReadOnlyList<(string Name, double[] Values)> series, string title, string yLabel, bool logTime, Func<double, string>? valueLabel = null)
    {
        var plot = new Plot();
        double width = 0.8 / series.Count;

        // A time axis starts a decade below the smallest value.
        double smallest = series.SelectMany(s => s.Values).Where(v => v > 0).DefaultIfEmpty(1000).Min();
        double floorExp = Math.Floor(Math.Log10(Math.Max(smallest, 1) / 1000.0)) - 1;
        double top = 0;
        for (int k = 0; k < series.Count; k++)
        {
            var bars = new List<Bar>();
            for (int i = 0; i < points.Count; i++)
            {
                double raw = series[k].Values[i];
                double value = logTime ? Math.Max(floorExp, Math.Log10(Math.Max(raw, 1) / 1000.0)) : raw;
                top = Math.Max(top, value);
                bars.Add(new Bar
                {
                    Position = i - 0.4 + (width * (k + 0.5)),
                    ValueBase = logTime ? floorExp : 0,
                    Value = value,
                    Size = width * 0.95,
                    FillColor = Palette[k % Palette.Length],
                    Label = logTime ? string.Empty : valueLabel?.Invoke(raw) ?? string.Empty,
                });
            }

            var barPlot = plot.Add.Bars(bars);
            barPlot.LegendText = series[k].Name;
            barPlot.ValueLabelStyle.FontSize = 11;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, points.Count).Select(i => (double)i).ToArray(), points.ToArray());
        if (points.Any(p => p.Length > 12))
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = Math.Min(300, 8 * points.Max(p => p.Length));
        }

        if (logTime)
        {
            int highExp = Math.Max(1, (int)Math.Ceiling(top + 0.01));
            plot.Axes.Left.TickGenerator = PlotFiles.LogTicks((int)floorExp, highExp, PlotFiles.MicrosecondsLabel);
            plot.Axes.SetLimits(-0.6, points.Count - 0.4, floorExp, highExp);
        }
        else
        {
            plot.Axes.SetLimits(-0.6, points.Count - 0.4, 0, top * 1.15);
        }

        plot.Title(title);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
