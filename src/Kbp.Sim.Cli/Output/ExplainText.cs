using System.Globalization;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Explaining;
using Kbp.Sim.Time;

namespace Kbp.Sim.Cli.Output;

/// <summary>The terminal rendering of <c>kbp-sim explain</c>: plain text, 100 columns.</summary>
internal static class ExplainText
{
    /// <summary>Waits shorter than this share of the frame's time are not put into words (they stay in the table).</summary>
    private const double SentenceShare = 0.02;
    private const int MaxTimelineLines = 60;

    public static void Write(TextWriter o, string scenarioName, ulong seed, Explanation e, long? aroundNs)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine($"scenario {scenarioName}, seed {seed}: {e.Journeys.Count} frame(s) explained, slowest first");
        o.WriteLine("times are simulated time since the run began; the tester starts sending at 10 ms");
        foreach (PacketJourney j in e.Journeys)
        {
            o.WriteLine();
            o.WriteLine(string.Create(c, $"frame {j.Frame.Id} (repetition {j.Frame.Repetition}): round trip {F(j.Frame.RttNs)}, sent at {Ms(j.Frame.SentNs)} ms"));
            o.WriteLine("  stage                 from (ms)        time    waiting      other   on          largest wait");
            foreach (StageJourney s in j.Stages)
            {
                ProbePass pass = j.Probes.First(p => p.Probe == s.To);
                string on = pass.Processor is null ? "-" : WaitWords.CpuWords(pass.Processor);
                string largest = s.Waits.Count == 0 ? string.Empty : $"{s.Waits[0].Cause} {F(s.Waits[0].DelayNs)}";
                o.WriteLine($"  {s.Name,-20} {Ms(s.StartNs),12} {F(s.DurationNs),11} {F(s.WaitedNs),10} {F(s.OtherNs),10}   {on,-11} {largest}");
            }

            long sum = j.Stages.Sum(s => s.DurationNs);
            o.WriteLine($"  {"sum of stages",-33} {F(sum),11} {F(j.Stages.Sum(s => s.WaitedNs)),10} {F(j.Stages.Sum(s => s.OtherNs)),10}   {(sum == j.Frame.RttNs ? "= round trip" : "round trip " + F(j.Frame.RttNs))}");
            var words = j.Stages.SelectMany(s => s.Waits.Select(w => (Stage: s, Wait: w)))
                .Where(x => x.Wait.DelayNs >= SentenceShare * j.Frame.RttNs)
                .OrderByDescending(x => x.Wait.DelayNs)
                .ToList();
            if (words.Count > 0)
            {
                o.WriteLine("  why:");
                foreach ((StageJourney stage, StageWait wait) in words)
                {
                    o.WriteLine($"  - {stage.Name}: {wait.Sentence}");
                }
            }
        }

        long total = e.Journeys.Sum(j => j.Frame.RttNs);
        o.WriteLine();
        o.WriteLine(string.Create(c, $"where the time of these {e.Journeys.Count} frame(s) went ({F(total)} in all):"));
        foreach (CauseShare share in e.Shares)
        {
            string name = share.Cause?.ToString() ?? "not waiting (processing, wire)";
            o.WriteLine(string.Create(c, $"  {name,-32} {share.Share,7:P1} {F(share.DelayNs),11}   {(share.Cause is { } cause ? CauseWords.Of(cause) : "CPU work at nominal cost, serialization, propagation")}"));
        }

        if (e.Competitors.Count > 0)
        {
            o.WriteLine("contexts that held a blocking CPU while these frames waited:");
            foreach (Competitor k in e.Competitors)
            {
                o.WriteLine(string.Create(c, $"  {k.Name,-28} {k.Class,-8} on {WaitWords.CpuWords(k.Processor),-11} {F(k.RunNs),10} in {k.Slices} slice(s)"));
            }
        }

        if (aroundNs is not null && e.Journeys.Count > 0)
        {
            WriteTimeline(o, e, e.Journeys[0], aroundNs.Value);
        }
    }

    /// <summary>What ran on the CPUs of the worst frame's largest waits, around it: a softIRQ timeline.</summary>
    private static void WriteTimeline(TextWriter o, Explanation e, PacketJourney j, long aroundNs)
    {
        TimelineRecorder t = e.Timelines[j.Frame.Repetition];
        long from = Math.Max(0, j.Frame.SentNs - aroundNs);
        long to = j.Frame.ReceivedNs + aroundNs;
        var cpus = j.Stages.SelectMany(s => s.Waits).OrderByDescending(w => w.DelayNs)
            .SelectMany(w => w.Competitors.Select(k => k.Processor).Prepend(w.Processor))
            .OfType<string>().Distinct().Take(3).ToList();
        if (cpus.Count == 0)
        {
            return;
        }

        o.WriteLine();
        o.WriteLine($"timeline of frame {j.Frame.Id}, {Ms(from)} to {Ms(to)} ms, on {string.Join(", ", cpus.Select(WaitWords.CpuWords))} (segments of 1% of the window or more, and softIRQ hand-offs):");
        long minNs = Math.Max(1, (to - from) / 100);
        var lines = new List<(long At, string Text)>();
        foreach (TimelineSlice s in t.Slices.Concat(t.Vectors))
        {
            if (!cpus.Contains(s.Processor) || s.EndNs < from || s.StartNs > to || s.EndNs - s.StartNs < minNs)
            {
                continue;
            }

            string what = s.PriorityClass < 0 ? $"  vector {s.Context["softirq:".Length..]} in {Host(t, s)}" : $"{WaitWords.NameOf(s)} ({WaitWords.ClassWords(s.PriorityClass)})";
            lines.Add((s.StartNs, $"{WaitWords.CpuWords(s.Processor),-11} {what,-44} {F(s.EndNs - s.StartNs),10}"));
        }

        foreach (TimelineMark m in t.Marks)
        {
            if (cpus.Contains(m.Processor) && m.TimeNs >= from && m.TimeNs <= to && m.Context == "softirq:deferred")
            {
                lines.Add((m.TimeNs, $"{WaitWords.CpuWords(m.Processor),-11} softIRQ work handed to ksoftirqd: {m.Cause}"));
            }
        }

        foreach (ProbePass p in j.Probes)
        {
            lines.Add((p.AtNs, $"{"frame",-11} passes {StageNames.Of(p.Probe)}"));
        }

        foreach ((long at, string text) in lines.OrderBy(l => l.At).Take(MaxTimelineLines))
        {
            o.WriteLine($"  {Ms(at),12}  {text}");
        }

        if (lines.Count > MaxTimelineLines)
        {
            o.WriteLine($"  ... {lines.Count - MaxTimelineLines} more (use 'kbp-sim trace' for the whole picture)");
        }
    }

    /// <summary>The context a softIRQ vector ran in: the processor's slice that was running when it started.</summary>
    private static string Host(TimelineRecorder t, TimelineSlice vector)
    {
        foreach (TimelineSlice s in t.Slices)
        {
            if (s.Processor == vector.Processor && s.StartNs <= vector.StartNs && vector.StartNs < s.EndNs)
            {
                return WaitWords.NameOf(s);
            }
        }

        return "a context begun before the window";
    }

    private static string F(long ns) => SimTime.Format(ns);

    private static string Ms(long ns) => (ns / 1e6).ToString("F6", CultureInfo.InvariantCulture);
}
