using System.Text.Json;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Cli.Output;

/// <summary>The validation result as JSON: the settings, then one object per claim.</summary>
internal static class ValidationJson
{
    public static void Write(TextWriter w, SuiteSettings settings, ulong seed, IReadOnlyList<ClaimResult> claims, PredictionResults? predictions)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("seed", seed);
            json.WriteBoolean("quick", settings.Quick);
            json.WriteNumber("latencyDurationNs", settings.LatencyDurationNs);
            json.WriteNumber("latencyRepetitions", settings.LatencyRepetitions);
            json.WriteNumber("trialNs", settings.TrialNs);
            json.WriteNumber("throughputRepetitions", settings.ThroughputRepetitions);
            json.WriteNumber("resolution", settings.Resolution);
            json.WriteStartArray("claims");
            foreach (ClaimResult c in claims)
            {
                json.WriteStartObject();
                json.WriteString("source", c.Claim.Source);
                json.WriteString("claim", c.Claim.Text);
                json.WriteString("paper", c.Claim.Paper);
                json.WriteString("band", c.Claim.Band);
                json.WriteString("result", ValidationTable.Word(c.Status));
                if (c.Status != ClaimStatus.NeedsFullRun)
                {
                    json.WriteString("simulated", c.Measure.Simulated);
                    if (c.Measure.Ratio is double ratio)
                    {
                        json.WriteNumber("ratio", ratio);
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (predictions is not null)
            {
                json.WriteStartObject("predictions");
                json.WriteStartObject("latency");
                foreach ((string name, SuiteRun r) in predictions.Latency)
                {
                    json.WriteStartObject(name);
                    json.WriteNumber("maxNs", r.Latency.MaxNs);
                    json.WriteNumber("meanNs", r.Latency.MeanNs);
                    json.WriteNumber("lost", r.Frames.Lost);
                    json.WriteNumber("lossRatio", r.LossRatio);
                    TailCauseJson.Write(json, "tailCauses", r.TailCauses);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteStartObject("zeroLossL1Bps");
                foreach ((string system, Rfc2544Result r) in predictions.Throughput)
                {
                    json.WriteStartObject(system);
                    foreach (ThroughputAtFrameSize f in r.FrameSizes)
                    {
                        json.WriteNumber($"{f.FrameBytes}B", f.MeanZeroLossRateBps);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        w.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        w.WriteLine();
    }
}
