using System.Text.Json;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Cli.Output;

/// <summary>The JSON document of <c>kbp-sim rfc2544</c>: rates in L1 bit/s unless named L2, every trial of every search.</summary>
internal static class Rfc2544Json
{
    public static void Write(TextWriter writer, string scenarioName, Rfc2544Result r)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("scenario", scenarioName);
            json.WriteNumber("seed", r.Seed);
            json.WriteNumber("resolution", r.Resolution);
            json.WriteNumber("trialNs", r.TrialNs);
            json.WriteNumber("repetitions", r.Repetitions);
            json.WriteStartArray("frameSizes");
            foreach (ThroughputAtFrameSize f in r.FrameSizes)
            {
                json.WriteStartObject();
                json.WriteNumber("frameBytes", f.FrameBytes);
                json.WriteNumber("lineRateBps", f.LineRateBps);
                json.WriteStartObject("zeroLossRateBps");
                json.WriteNumber("mean", f.MeanZeroLossRateBps);
                json.WriteNumber("min", f.MinZeroLossRateBps);
                json.WriteNumber("max", f.MaxZeroLossRateBps);
                json.WriteEndObject();
                json.WriteNumber("zeroLossFramesPerSecond", Math.Round(f.MeanFramesPerSecond, 3));
                json.WriteNumber("zeroLossL2RateBps", Math.Round(f.MeanL2RateBps, 3));
                if (f.LossPointBps is long p)
                {
                    json.WriteNumber("lossPointBps", p);
                }
                else
                {
                    json.WriteNull("lossPointBps");
                }

                if (f.LossPointTrial is TrialOutcome t)
                {
                    json.WritePropertyName("lossPointTrial");
                    WriteTrial(json, t, withReasons: true);
                }
                else
                {
                    json.WriteNull("lossPointTrial");
                }

                json.WriteStartArray("searches");
                foreach (ThroughputSearch s in f.Searches)
                {
                    json.WriteStartObject();
                    json.WriteNumber("repetition", s.Repetition);
                    json.WriteNumber("seed", s.Seed);
                    json.WriteNumber("zeroLossRateBps", s.ZeroLossRateBps);
                    if (s.LossPointBps is long sp)
                    {
                        json.WriteNumber("lossPointBps", sp);
                    }
                    else
                    {
                        json.WriteNull("lossPointBps");
                    }

                    json.WriteStartArray("trials");
                    foreach (TrialOutcome trial in s.Trials)
                    {
                        WriteTrial(json, trial, withReasons: false);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("events", r.Events);
            json.WriteEndObject();
        }

        writer.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        writer.WriteLine();
    }

    private static void WriteTrial(Utf8JsonWriter json, TrialOutcome t, bool withReasons)
    {
        json.WriteStartObject();
        json.WriteNumber("rateBps", t.RateBps);
        json.WriteBoolean("passed", t.Passed);
        json.WriteBoolean("stoppedEarly", t.StoppedEarly);
        json.WriteNumber("offered", t.Offered);
        json.WriteNumber("sent", t.Sent);
        json.WriteNumber("received", t.Received);
        json.WriteNumber("lost", t.Lost);
        json.WriteNumber("inFlight", t.InFlight);
        json.WriteStartObject("lostByReason");
        foreach (DropReason reason in Enum.GetValues<DropReason>())
        {
            if (withReasons || t.LostAt(reason) > 0)
            {
                json.WriteNumber(JsonNamingPolicy.CamelCase.ConvertName(reason.ToString()), t.LostAt(reason));
            }
        }

        json.WriteEndObject();
        json.WriteNumber("events", t.Events);
        json.WriteEndObject();
    }
}
