using System.Text.Json;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Cli.Output;

/// <summary>
/// A capacity trial as JSON with every field and every number exact (nothing rounded, enums
/// by name), so that <see cref="Read"/> gives back an equal <see cref="CapacityTrialOutcome"/>:
/// the trial of a capacity part line (<see cref="PartCapacity"/>).
/// </summary>
internal static class CapacityTrialJson
{
    /// <summary>Writes <paramref name="t"/> as one object.</summary>
    public static void Write(Utf8JsonWriter json, CapacityTrialOutcome t)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(t);
        json.WriteStartObject();
        json.WriteNumber("frameBytes", t.Point.FrameBytes);
        json.WriteNumber("rateBps", t.Point.RateBps);
        json.WriteBoolean("rateIsL1", t.Point.RateIsL1);
        json.WriteNumber("seed", t.Seed);
        json.WriteBoolean("passed", t.Passed);
        json.WriteBoolean("overLine", t.OverLine);
        json.WriteBoolean("stoppedEarly", t.StoppedEarly);
        json.WriteString("violation", t.Violation);
        json.WriteNumber("offered", t.Offered);
        json.WriteNumber("received", t.Received);
        json.WriteNumber("lost", t.Lost);
        json.WriteNumber("inFlight", t.InFlight);
        json.WriteStartArray("lostByReason");
        foreach (long n in t.LostByReason)
        {
            json.WriteNumberValue(n);
        }

        json.WriteEndArray();
        LatencySummary l = t.Latency;

        // count, min, p50, p99, p99.9, p99.99, max
        json.WriteStartArray("latency");
        foreach (long v in new[] { l.Count, l.MinNs, l.P50Ns, l.P99Ns, l.P999Ns, l.P9999Ns, l.MaxNs })
        {
            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
        json.WriteNumber("meanNs", l.MeanNs);
        json.WriteString("firstLateCause", t.FirstLateCause?.ToString());
        TailCauseJson.Write(json, "tailCauses", t.TailCauses);
        if (t.Counters is TrialCounters k)
        {
            json.WriteStartObject("counters");
            json.WriteNumber("appNsPerFrame", k.AppNsPerFrame);
            Number(json, "vhostNsPerFrame", k.VhostNsPerFrame);
            Number(json, "kicksPerFrame", k.KicksPerFrame);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("counters");
        }

        json.WriteNumber("events", t.Events);
        json.WriteEndObject();
    }

    /// <summary>The trial <see cref="Write"/> wrote.</summary>
    /// <exception cref="KeyNotFoundException">A field is missing.</exception>
    /// <exception cref="InvalidOperationException">A field has the wrong type.</exception>
    /// <exception cref="ArgumentException">An enum name is unknown.</exception>
    public static CapacityTrialOutcome Read(JsonElement t)
    {
        long[] l = [.. t.GetProperty("latency").EnumerateArray().Select(v => v.GetInt64())];
        if (l.Length != 7)
        {
            throw new InvalidOperationException("the latency array has not 7 numbers");
        }

        JsonElement counters = t.GetProperty("counters");
        JsonElement late = t.GetProperty("firstLateCause");
        return new CapacityTrialOutcome(
            new CapacityPoint(t.GetProperty("frameBytes").GetInt32(), t.GetProperty("rateBps").GetInt64(), t.GetProperty("rateIsL1").GetBoolean()),
            t.GetProperty("seed").GetUInt64(),
            t.GetProperty("passed").GetBoolean(),
            t.GetProperty("overLine").GetBoolean(),
            t.GetProperty("stoppedEarly").GetBoolean(),
            t.GetProperty("violation").GetString(),
            t.GetProperty("offered").GetInt64(),
            t.GetProperty("received").GetInt64(),
            t.GetProperty("lost").GetInt64(),
            t.GetProperty("inFlight").GetInt64(),
            [.. t.GetProperty("lostByReason").EnumerateArray().Select(n => n.GetInt64())],
            new LatencySummary(l[0], l[1], t.GetProperty("meanNs").GetDouble(), l[2], l[3], l[4], l[5], l[6]),
            late.ValueKind == JsonValueKind.Null ? null : Enum.Parse<WaitCause>(late.GetString()!),
            TailCauseJson.Read(t.GetProperty("tailCauses")),
            counters.ValueKind == JsonValueKind.Null
                ? null
                : new TrialCounters(counters.GetProperty("appNsPerFrame").GetDouble(), Nullable(counters.GetProperty("vhostNsPerFrame")), Nullable(counters.GetProperty("kicksPerFrame"))),
            t.GetProperty("events").GetInt64());
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double d)
        {
            json.WriteNumber(name, d);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static double? Nullable(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();
}
