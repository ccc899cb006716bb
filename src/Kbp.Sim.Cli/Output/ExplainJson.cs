using System.Text.Json;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Explaining;

namespace Kbp.Sim.Cli.Output;

/// <summary>The JSON document of <c>kbp-sim explain</c> (times in simulated ns since the run began).</summary>
internal static class ExplainJson
{
    public static void Write(TextWriter writer, string scenarioName, ulong seed, Explanation e)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("scenario", scenarioName);
            json.WriteNumber("seed", seed);
            json.WriteStartArray("frames");
            foreach (PacketJourney j in e.Journeys)
            {
                json.WriteStartObject();
                json.WriteNumber("repetition", j.Frame.Repetition);
                json.WriteNumber("id", j.Frame.Id);
                json.WriteNumber("sentNs", j.Frame.SentNs);
                json.WriteNumber("receivedNs", j.Frame.ReceivedNs);
                json.WriteNumber("rttNs", j.Frame.RttNs);
                json.WriteStartArray("probes");
                foreach (ProbePass p in j.Probes)
                {
                    json.WriteStartObject();
                    json.WriteString("probe", StageNames.Of(p.Probe));
                    json.WriteNumber("atNs", p.AtNs);
                    WriteNullable(json, "cpu", p.Processor);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("stages");
                foreach (StageJourney s in j.Stages)
                {
                    json.WriteStartObject();
                    json.WriteString("stage", s.Name);
                    json.WriteNumber("startNs", s.StartNs);
                    json.WriteNumber("endNs", s.EndNs);
                    json.WriteNumber("durationNs", s.DurationNs);
                    json.WriteNumber("waitingNs", s.WaitedNs);
                    json.WriteNumber("otherNs", s.OtherNs);
                    json.WriteStartArray("waits");
                    foreach (StageWait w in s.Waits)
                    {
                        json.WriteStartObject();
                        json.WriteString("cause", Camel(w.Cause.ToString()));
                        json.WriteNumber("delayNs", w.DelayNs);
                        WriteNullable(json, "cpu", w.Processor);
                        WriteNullable(json, "consumer", w.Consumer);
                        json.WriteNumber("fromNs", w.FromNs);
                        json.WriteNumber("toNs", w.ToNs);
                        json.WriteString("explanation", w.Sentence);
                        WriteCompetitors(json, "competitors", w.Competitors);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("shares");
            foreach (CauseShare share in e.Shares)
            {
                json.WriteStartObject();
                json.WriteString("cause", share.Cause is { } c ? Camel(c.ToString()) : "notWaiting");
                json.WriteNumber("delayNs", share.DelayNs);
                json.WriteNumber("share", Math.Round(share.Share, 6));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteCompetitors(json, "competitors", e.Competitors);
            json.WriteEndObject();
        }

        writer.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        writer.WriteLine();
    }

    private static void WriteCompetitors(Utf8JsonWriter json, string name, IReadOnlyList<Competitor> competitors)
    {
        json.WriteStartArray(name);
        foreach (Competitor k in competitors)
        {
            json.WriteStartObject();
            json.WriteString("name", k.Name);
            json.WriteString("class", k.Class);
            json.WriteString("cpu", k.Processor);
            json.WriteNumber("runNs", k.RunNs);
            json.WriteNumber("slices", k.Slices);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
}
