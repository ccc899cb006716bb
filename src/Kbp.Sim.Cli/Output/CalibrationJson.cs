using System.Text.Encodings.Web;
using System.Text.Json;
using Kbp.Sim.Models.Kernel;

namespace Kbp.Sim.Cli.Output;

/// <summary>The JSON document of <c>kbp-sim calibrate</c> (times in nanoseconds; undefined ratios are null).</summary>
internal static class CalibrationJson
{
    public static void Write(TextWriter writer, CalibrationReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("note", CalibrationReport.Note);

            json.WriteStartObject("kbpStats");
            json.WriteString("file", report.StatsFile);
            json.WriteString("format", "v1");
            json.WriteStartObject("params");
            foreach ((string key, string value) in report.Stats.Params)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteNumber("skippedLines", report.Stats.SkippedLines);
            json.WriteStartArray("problems");
            foreach (KbpStatsProblem problem in report.Stats.Problems)
            {
                json.WriteStartObject();
                json.WriteNumber("line", problem.Line);
                json.WriteString("message", problem.Message);
                json.WriteBoolean("skipped", problem.Skipped);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("model");
            json.WriteString("scenario", report.ScenarioName);
            json.WriteNumber("durationNs", report.DurationNs);
            json.WriteNumber("seed", report.Seed);
            json.WriteBoolean("paramsApplied", report.ParamsApplied);
            json.WriteEndObject();

            json.WriteStartObject("sides");
            foreach (CalibrationSide side in report.Sides)
            {
                json.WriteStartObject(side.Name);
                json.WriteString("params", side.LoadLine);
                json.WriteStartArray("threads");
                foreach (KbpThreadStats thread in side.Threads)
                {
                    json.WriteStartObject();
                    json.WriteNumber("cpu", thread.Cpu);
                    WriteCounters(json, thread.Counters);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartObject("total");
                WriteCounters(json, side.Total);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        writer.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        writer.WriteLine();
    }

    private static void WriteCounters(Utf8JsonWriter json, KbpCounters c)
    {
        json.WriteNumber("schedules", c.Schedules);
        json.WriteNumber("remoteSchedules", c.RemoteSchedules);
        json.WriteNumber("wakeups", c.Wakeups);
        json.WriteNumber("polls", c.Polls);
        json.WriteNumber("packets", c.Packets);
        json.WriteNumber("emptyPolls", c.EmptyPolls);
        json.WriteNumber("idleLoops", c.IdleLoops);
        json.WriteNumber("requeues", c.Requeues);
        json.WriteNumber("schedToPollCount", c.SchedToPollCount);
        json.WriteNumber("schedToPollSumNs", c.SchedToPollSumNs);
        json.WriteNumber("schedToPollMaxNs", c.SchedToPollMaxNs);
        Number(json, "emptyPollRatio", c.EmptyPollRatio);
        Number(json, "packetsPerPoll", c.PacketsPerPoll);
        Number(json, "requeueRatio", c.RequeueRatio);
        Number(json, "schedToPollMeanNs", c.SchedToPollMeanNs);
        json.WriteStartObject("batch");
        for (int b = 0; b < KbpBatchHistogram.BucketCount; b++)
        {
            json.WriteNumber(KbpBatchHistogram.Label(b), c.Batch[b]);
        }

        json.WriteEndObject();
        json.WriteStartObject("batchShare");
        for (int b = 0; b < KbpBatchHistogram.BucketCount; b++)
        {
            Number(json, KbpBatchHistogram.Label(b), c.Batch.Share(b));
        }

        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsNaN(value))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteNumber(name, Math.Round(value, 6));
        }
    }
}
