using System.Text.Json;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Cli.Output;

/// <summary>
/// The JSON document of <c>kbp-sim capacity</c>: the analytic stage table, then the answers
/// (with every trial a search used) or the grid. Times in ns, rates in bit/s at the layer
/// named by <c>rateLayer</c>; no wall-clock times, so a seed gives the same bytes.
/// </summary>
internal static class CapacityJson
{
    public static void Write(TextWriter writer, CapacityResult r)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("scenario", r.Scenario);
            json.WriteString("question", r.Question switch
            {
                CapacityQuestion.FrameSizeLimit => "frameSizeLimit",
                CapacityQuestion.MaxRate => "maxRate",
                _ => "grid",
            });
            json.WriteString("slo", r.Slo.ToString());
            json.WriteNumber("seed", r.Seed);
            json.WriteNumber("trialNs", r.TrialNs);
            bool l1 = r.Grid?.RateIsL1 ?? r.Answers.FirstOrDefault()?.RateIsL1 ?? false;
            json.WriteString("rateLayer", l1 ? "l1" : "l2");
            if (r.Question == CapacityQuestion.FrameSizeLimit)
            {
                json.WriteNumber("stepBytes", r.StepBytes);
            }

            if (r.Question == CapacityQuestion.MaxRate)
            {
                json.WriteNumber("resolution", r.Resolution);
            }

            json.WritePropertyName("analytic");
            WriteBudget(json, r.Budget);
            if (r.Grid is CapacityGrid g)
            {
                WriteGrid(json, g);
            }
            else
            {
                json.WriteStartArray("answers");
                foreach (CapacityAnswer a in r.Answers)
                {
                    WriteAnswer(json, a);
                }

                json.WriteEndArray();
            }

            json.WriteNumber("events", r.Events);
            json.WriteEndObject();
        }

        writer.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        writer.WriteLine();
    }

    /// <summary>The analytic table as <see cref="Write"/> writes it, on one line: what the parts of a sharded grid must agree on.</summary>
    public static string AnalyticJson(StageBudget budget)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            WriteBudget(json, budget);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteBudget(Utf8JsonWriter json, StageBudget b)
    {
        json.WriteStartObject();
        json.WriteNumber("lineRateBps", b.LineRateBps);
        json.WriteStartArray("stages");
        foreach (StageCost s in b.Stages)
        {
            json.WriteStartObject();
            json.WriteString("stage", s.Stage);
            json.WriteString("where", s.Where);
            json.WriteNumber("hostCpu", s.HostCpu);
            json.WriteNumber("workNs", s.WorkNs);
            json.WriteNumber("kickShareNs", s.KickShareNs);
            json.WriteString("formula", s.Formula);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("cpus");
        foreach (CpuLoad c in b.Cpus)
        {
            json.WriteStartObject();
            json.WriteNumber("hostCpu", c.HostCpu);
            json.WriteString("where", c.Where);
            json.WriteNumber("workNs", c.WorkNs);
            json.WriteNumber("highNs", c.HighNs);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("bottleneck", b.Bottleneck.Where);
        json.WriteNumber("bottleneckWorkNs", b.CpuNsPerFrame(conservative: false));
        json.WriteNumber("bottleneckHighNs", b.CpuNsPerFrame(conservative: true));
        if (b.Kick is KickCycle k)
        {
            json.WriteStartObject("kick");
            json.WriteNumber("appNs", k.AppNs);
            json.WriteNumber("kickNs", k.KickNs);
            json.WriteNumber("vhostTxNs", k.VhostTxNs);
            json.WriteNumber("vhostWakeNs", k.VhostWakeNs);
            json.WriteNumber("framesPerKick", k.FramesPerKick);
            json.WriteNumber("maxShareNs", k.MaxShareNs);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteAnswer(Utf8JsonWriter json, CapacityAnswer a)
    {
        json.WriteStartObject();
        if (a.FixedRateBps > 0)
        {
            json.WriteNumber("rateBps", a.FixedRateBps);
        }
        else
        {
            json.WriteNumber("frameBytes", a.FixedFrameBytes);
        }

        AnalyticEstimate e = a.Analytic;
        json.WriteStartObject("analytic");
        Number(json, "optimistic", e.Optimistic);
        Number(json, "conservative", e.Conservative);
        Number(json, "otherLayerOptimistic", e.OtherLayerOptimistic);
        Number(json, "otherLayerConservative", e.OtherLayerConservative);
        json.WriteString("bottleneck", e.Bottleneck);
        json.WriteNumber("nsPerFrameOptimistic", Math.Round(e.NsPerFrame.Optimistic, 3));
        json.WriteNumber("nsPerFrameConservative", Math.Round(e.NsPerFrame.Conservative, 3));
        Number(json, "gridOptimistic", e.GridOptimistic);
        Number(json, "gridConservative", e.GridConservative);
        json.WriteEndObject();
        Number(json, "answer", a.Answer);
        Number(json, "failing", a.Failing);
        if (a.StepsFromAnalytic is int steps)
        {
            json.WriteNumber("stepsFromAnalytic", steps);
        }
        else
        {
            json.WriteNull("stepsFromAnalytic");
        }

        json.WriteNumber("speculativeTrials", a.Speculative);
        json.WritePropertyName("boundaryTrial");
        WriteTrial(json, a.Boundary);
        json.WriteStartArray("trials");
        foreach (CapacityTrialOutcome t in a.Trials)
        {
            WriteTrial(json, t);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteGrid(Utf8JsonWriter json, CapacityGrid g)
    {
        json.WriteStartObject("grid");
        json.WriteStartArray("frameSizes");
        foreach (int f in g.FrameSizes)
        {
            json.WriteNumberValue(f);
        }

        json.WriteEndArray();
        json.WriteStartArray("ratesBps");
        foreach (long x in g.RatesBps)
        {
            json.WriteNumberValue(x);
        }

        json.WriteEndArray();
        json.WriteStartArray("columns");
        IReadOnlyList<int> boundary = g.BoundaryRateIndex;
        for (int s = 0; s < g.FrameSizes.Count; s++)
        {
            json.WriteStartObject();
            json.WriteNumber("frameBytes", g.FrameSizes[s]);
            json.WriteNumber("analyticMaxRateOptimisticBps", Math.Round(g.AnalyticMaxRateBps[s].Optimistic, 3));
            json.WriteNumber("analyticMaxRateConservativeBps", Math.Round(g.AnalyticMaxRateBps[s].Conservative, 3));
            if (boundary[s] >= 0)
            {
                json.WriteNumber("boundaryRateBps", g.RatesBps[boundary[s]]);
            }
            else
            {
                json.WriteNull("boundaryRateBps");
            }

            json.WriteStartArray("cells");
            foreach (CapacityTrialOutcome t in g.Cells[s])
            {
                WriteTrial(json, t);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTrial(Utf8JsonWriter json, CapacityTrialOutcome? t)
    {
        if (t is null)
        {
            json.WriteNullValue();
            return;
        }

        json.WriteStartObject();
        json.WriteNumber("frameBytes", t.Point.FrameBytes);
        json.WriteNumber("rateBps", t.Point.RateBps);
        json.WriteNumber("l1RateBps", Math.Round(t.Point.L1RateBps, 3));
        json.WriteNumber("framesPerSecond", Math.Round(t.Point.FramesPerSecond, 3));
        json.WriteNumber("seed", t.Seed);
        json.WriteBoolean("passed", t.Passed);
        json.WriteBoolean("overLine", t.OverLine);
        json.WriteBoolean("stoppedEarly", t.StoppedEarly);
        if (t.Violation is string v)
        {
            json.WriteString("violation", v);
        }
        else
        {
            json.WriteNull("violation");
        }

        json.WriteNumber("offered", t.Offered);
        json.WriteNumber("received", t.Received);
        json.WriteNumber("lost", t.Lost);
        json.WriteNumber("inFlight", t.InFlight);
        json.WriteStartObject("lostByReason");
        if (t.LostByReason.Count > 0)
        {
            foreach (DropReason reason in Enum.GetValues<DropReason>())
            {
                json.WriteNumber(reason.ToString(), t.LostAt(reason));
            }
        }

        json.WriteEndObject();
        json.WriteStartObject("latency");
        json.WriteNumber("count", t.Latency.Count);
        json.WriteNumber("p50", t.Latency.P50Ns);
        json.WriteNumber("p99", t.Latency.P99Ns);
        json.WriteNumber("p999", t.Latency.P999Ns);
        json.WriteNumber("max", t.Latency.MaxNs);
        json.WriteEndObject();
        if (t.FirstLateCause is WaitCause late)
        {
            json.WriteString("firstLateCause", late.ToString());
        }

        json.WriteStartArray("tailCauses");
        foreach (TailCause c in t.TailCauses)
        {
            json.WriteStartObject();
            json.WriteString("cause", c.Cause.ToString());
            json.WriteNumber("share", Math.Round(c.Share, 6));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (t.Counters is TrialCounters k)
        {
            json.WriteStartObject("counters");
            json.WriteNumber("appNsPerFrame", Math.Round(k.AppNsPerFrame, 3));
            Number(json, "vhostNsPerFrame", k.VhostNsPerFrame is double vh ? Math.Round(vh, 3) : null);
            Number(json, "kicksPerFrame", k.KicksPerFrame is double kp ? Math.Round(kp, 6) : null);
            json.WriteEndObject();
        }

        json.WriteNumber("events", t.Events);
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double d && double.IsFinite(d))
        {
            json.WriteNumber(name, Math.Round(d, 3));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
