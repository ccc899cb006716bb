using System.Text.Json;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Cli.Output;

/// <summary>
/// The JSON document of <c>kbp-sim sweep</c>: the axes and one object per point, with the
/// field names of <c>kbp-sim run</c>'s JSON (times in nanoseconds). Nothing in it depends
/// on the machine, so a seed gives the same bytes.
/// </summary>
internal static class SweepJson
{
    public static void Write(TextWriter writer, string scenarioName, ulong? seed, IReadOnlyList<SweepAxis> axes, IReadOnlyList<SweepRow> rows)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("scenario", scenarioName);
            if (seed is ulong s)
            {
                json.WriteNumber("seed", s);
            }
            else
            {
                json.WriteNull("seed");
            }

            json.WriteStartArray("vary");
            foreach (SweepAxis axis in axes)
            {
                json.WriteStartObject();
                json.WriteString("key", axis.Key);
                json.WriteStartArray("values");
                foreach (string value in axis.Values)
                {
                    json.WriteStringValue(value);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("points");
            foreach (SweepRow row in rows)
            {
                WritePoint(json, row);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        writer.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        writer.WriteLine();
    }

    private static void WritePoint(Utf8JsonWriter json, SweepRow r)
    {
        json.WriteStartObject();
        json.WriteNumber("index", r.Point.Index);
        json.WriteString("id", r.Point.Id);
        json.WriteStartObject("values");
        foreach ((string key, string value) in r.Point.Values)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        json.WriteNumber("seed", r.Seed);
        json.WriteNumber("repetitions", r.Repetitions);
        json.WriteString("mode", JsonNamingPolicy.CamelCase.ConvertName(r.Mode.ToString()));

        json.WriteStartObject("latency");
        LatencySummary l = r.Latency;
        json.WriteNumber("count", l.Count);
        json.WriteNumber("minNs", l.MinNs);
        json.WriteNumber("meanNs", Math.Round(l.MeanNs, 1));
        json.WriteNumber("p50Ns", l.P50Ns);
        json.WriteNumber("p99Ns", l.P99Ns);
        json.WriteNumber("p999Ns", l.P999Ns);
        json.WriteNumber("p9999Ns", l.P9999Ns);
        json.WriteNumber("maxNs", l.MaxNs);
        json.WriteStartArray("maxNsPerRepetition");
        foreach (long max in r.MaxNsPerRepetition)
        {
            json.WriteNumberValue(max);
        }

        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartObject("frames");
        json.WriteNumber("offered", r.Frames.Offered);
        json.WriteNumber("sent", r.Frames.Sent);
        json.WriteNumber("received", r.Frames.Received);
        json.WriteNumber("lost", r.Frames.Lost);
        json.WriteNumber("inFlight", r.Frames.InFlight);
        json.WriteStartObject("lostByReason");
        foreach ((var reason, long count) in r.Frames.LostByReason)
        {
            json.WriteNumber(JsonNamingPolicy.CamelCase.ConvertName(reason.ToString()), count);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteNumber("lossRatio", r.LossRatio);
        json.WriteNumber("excursionsAbove1ms", r.ExcursionEpisodes);
        json.WriteNumber("excursionsAbove1msPerSecond", r.ExcursionsPerSecond);
        json.WriteStartArray("tailCauses");
        foreach (TailCause cause in r.TailCauses)
        {
            json.WriteStartObject();
            json.WriteString("cause", JsonNamingPolicy.CamelCase.ConvertName(cause.Cause.ToString()));
            json.WriteNumber("share", Math.Round(cause.Share, 6));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (r.TopTailCause is TailCause top)
        {
            json.WriteString("topTailCause", JsonNamingPolicy.CamelCase.ConvertName(top.Cause.ToString()));
        }
        else
        {
            json.WriteNull("topTailCause");
        }

        json.WriteNumber("events", r.Events);
        json.WriteEndObject();
    }
}
