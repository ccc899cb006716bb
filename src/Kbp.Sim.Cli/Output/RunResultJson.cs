using System.Text.Json;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Statistics;

namespace Kbp.Sim.Cli.Output;

/// <summary>The JSON document of <c>kbp-sim run</c> (all times in nanoseconds).</summary>
internal static class RunResultJson
{
    public static void Write(TextWriter writer, string scenarioName, RunResult result)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("scenario", scenarioName);
            json.WriteNumber("seed", result.Seed);
            json.WriteNumber("repetitions", result.Repetitions);

            json.WriteStartObject("latency");
            WriteRecorder(json, result.Latency, withPercentiles: true);
            json.WriteStartArray("maxNsPerRepetition");
            foreach (long max in result.MaxNsPerRepetition)
            {
                json.WriteNumberValue(max);
            }

            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("frames");
            json.WriteNumber("offered", result.Frames.Offered);
            json.WriteNumber("sent", result.Frames.Sent);
            json.WriteNumber("received", result.Frames.Received);
            json.WriteNumber("lost", result.Frames.Lost);
            json.WriteNumber("inFlight", result.Frames.InFlight);
            json.WriteStartObject("lostByReason");
            foreach ((var reason, long count) in result.Frames.LostByReason)
            {
                json.WriteNumber(JsonNamingPolicy.CamelCase.ConvertName(reason.ToString()), count);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteNumber("lossRatio", result.LossRatio);
            json.WriteNumber("excursionsAbove1ms", result.ExcursionEpisodes);
            json.WriteNumber("excursionsAbove1msPerSecond", result.ExcursionsPerSecond);

            json.WriteStartObject("stages");
            for (int i = 0; i < result.Stages.Count; i++)
            {
                LatencyRecorder stage = result.Stages[i];
                json.WriteStartObject(stage.Name);
                WriteRecorder(json, stage, withPercentiles: false);
                json.WriteStartObject("causesAbove1ms");
                foreach ((var cause, long count) in result.StageCausesAbove1ms[i])
                {
                    json.WriteNumber(JsonNamingPolicy.CamelCase.ConvertName(cause.ToString()), count);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();

            json.WriteStartArray("tailCauses");
            foreach (TailCause cause in result.TailCauses)
            {
                json.WriteStartObject();
                json.WriteString("cause", JsonNamingPolicy.CamelCase.ConvertName(cause.Cause.ToString()));
                json.WriteNumber("share", Math.Round(cause.Share, 6));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("events", result.Events);
            json.WriteEndObject();
        }

        writer.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        writer.WriteLine();
    }

    private static void WriteRecorder(Utf8JsonWriter json, LatencyRecorder recorder, bool withPercentiles)
    {
        json.WriteNumber("count", recorder.Count);
        json.WriteNumber("minNs", recorder.MinNs);
        json.WriteNumber("meanNs", Math.Round(recorder.MeanNs, 1));
        if (withPercentiles)
        {
            json.WriteNumber("p50Ns", recorder.PercentileNs(50));
            json.WriteNumber("p99Ns", recorder.PercentileNs(99));
            json.WriteNumber("p999Ns", recorder.PercentileNs(99.9));
            json.WriteNumber("p9999Ns", recorder.PercentileNs(99.99));
        }

        json.WriteNumber("maxNs", recorder.MaxNs);
    }
}
