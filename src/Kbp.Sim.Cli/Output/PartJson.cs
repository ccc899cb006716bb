using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Cli.Output;

/// <summary>
/// What every line of a sweep's part files must agree on to be merged: the program version,
/// the scenario, the run seed (null when the points' seeds differ), the varied keys and
/// values, and the <c>--set</c> overrides (shorthands included).
/// </summary>
internal sealed record PartHeader(string Version, string Scenario, ulong? RunSeed, IReadOnlyList<SweepAxis> Vary, IReadOnlyList<string> Overrides)
{
    /// <summary>The program's version: the assembly's informational version.</summary>
    public static string ProgramVersion { get; } =
        typeof(PartHeader).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The first field that differs from <paramref name="other"/>, in words, or null when they agree.</summary>
    public string? Difference(PartHeader other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Version != other.Version)
        {
            return $"version {other.Version}, not {Version}";
        }

        if (Scenario != other.Scenario)
        {
            return $"scenario '{other.Scenario}', not '{Scenario}'";
        }

        if (RunSeed != other.RunSeed)
        {
            return $"seed {other.RunSeed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(varied)"}, not {RunSeed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(varied)"}";
        }

        if (Key(Vary) != Key(other.Vary))
        {
            return $"--vary {Key(other.Vary)}, not {Key(Vary)}";
        }

        return Overrides.SequenceEqual(other.Overrides, StringComparer.Ordinal)
            ? null
            : $"--set {string.Join(" ", other.Overrides)}, not {string.Join(" ", Overrides)}";
    }

    private static string Key(IReadOnlyList<SweepAxis> axes) =>
        string.Join(" ", axes.Select(a => $"{a.Key}={string.Join(",", a.Values)}"));
}

/// <summary>One line of a part file: the header fields and one point's row.</summary>
internal sealed record PartLine(PartHeader Header, SweepRow Row);

/// <summary>
/// The part file of a sharded sweep (<c>--shard K/N</c>): JSON lines, one per point, each
/// with the point's index, id and seed, the header (<see cref="PartHeader"/>), the point's
/// object exactly as <see cref="SweepJson"/> writes it (<c>row</c>), and the two numbers that
/// object rounds (<c>exact</c>: the mean and the tail shares), so that <c>kbp-sim merge</c>
/// rebuilds the very rows and writes the unsharded output byte for byte with the same writers.
/// </summary>
internal static class PartJson
{
    /// <summary>The line of <paramref name="row"/>, without the line break.</summary>
    public static string Line(PartHeader header, SweepRow row)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(row);

        // The point's object as the unsharded JSON has it: written by SweepJson itself.
        var whole = new StringWriter();
        SweepJson.Write(whole, header.Scenario, header.RunSeed, header.Vary, [row]);
        using JsonDocument document = JsonDocument.Parse(whole.ToString());

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("kind", "sweep");
            json.WriteNumber("index", row.Point.Index);
            json.WriteString("id", row.Point.Id);
            json.WriteNumber("seed", row.Seed);
            json.WriteString("scenario", header.Scenario);
            json.WriteString("version", header.Version);
            if (header.RunSeed is ulong s)
            {
                json.WriteNumber("runSeed", s);
            }
            else
            {
                json.WriteNull("runSeed");
            }

            json.WriteStartArray("vary");
            foreach (SweepAxis axis in header.Vary)
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
            json.WriteStartArray("overrides");
            foreach (string o in header.Overrides)
            {
                json.WriteStringValue(o);
            }

            json.WriteEndArray();
            json.WritePropertyName("row");
            document.RootElement.GetProperty("points")[0].WriteTo(json);
            json.WriteStartObject("exact");
            json.WriteNumber("meanNs", row.Latency.MeanNs);
            json.WriteStartArray("tailShares");
            foreach (TailCause cause in row.TailCauses)
            {
                json.WriteNumberValue(cause.Share);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses one line; false (with the reason) when it is not a complete sweep part line.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out PartLine? line, [NotNullWhen(false)] out string? error)
    {
        line = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out JsonElement kind) || kind.GetString() != "sweep")
            {
                error = "not a sweep part line";
                return false;
            }

            var vary = root.GetProperty("vary").EnumerateArray()
                .Select(a => new SweepAxis(a.GetProperty("key").GetString()!, a.GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToList()))
                .ToList();
            JsonElement runSeed = root.GetProperty("runSeed");
            var header = new PartHeader(
                root.GetProperty("version").GetString()!,
                root.GetProperty("scenario").GetString()!,
                runSeed.ValueKind == JsonValueKind.Null ? null : runSeed.GetUInt64(),
                vary,
                root.GetProperty("overrides").EnumerateArray().Select(o => o.GetString()!).ToList());
            line = new PartLine(header, RowOf(root.GetProperty("row"), root.GetProperty("exact")));
            if (line.Row.Point.Index != root.GetProperty("index").GetInt32() || line.Row.Point.Id != root.GetProperty("id").GetString())
            {
                line = null;
                error = "its index or id differs from its row's";
                return false;
            }

            error = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            line = null;
            error = e.Message.ReplaceLineEndings(" ");
            return false;
        }
    }

    private static SweepRow RowOf(JsonElement r, JsonElement exact)
    {
        var values = r.GetProperty("values").EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList();
        var point = new SweepPoint(r.GetProperty("index").GetInt32(), r.GetProperty("id").GetString()!, values);
        JsonElement l = r.GetProperty("latency");
        var latency = new LatencySummary(
            l.GetProperty("count").GetInt64(),
            l.GetProperty("minNs").GetInt64(),
            exact.GetProperty("meanNs").GetDouble(),
            l.GetProperty("p50Ns").GetInt64(),
            l.GetProperty("p99Ns").GetInt64(),
            l.GetProperty("p999Ns").GetInt64(),
            l.GetProperty("p9999Ns").GetInt64(),
            l.GetProperty("maxNs").GetInt64());
        JsonElement f = r.GetProperty("frames");
        var lost = new Dictionary<DropReason, long>();
        foreach (JsonProperty reason in f.GetProperty("lostByReason").EnumerateObject())
        {
            lost.Add(EnumOf<DropReason>(reason.Name), reason.Value.GetInt64());
        }

        var frames = new FrameCounts(
            f.GetProperty("offered").GetInt64(),
            f.GetProperty("sent").GetInt64(),
            f.GetProperty("received").GetInt64(),
            f.GetProperty("lost").GetInt64(),
            f.GetProperty("inFlight").GetInt64(),
            lost);
        double[] shares = exact.GetProperty("tailShares").EnumerateArray().Select(s => s.GetDouble()).ToArray();
        var causes = r.GetProperty("tailCauses").EnumerateArray()
            .Select((c, i) => new TailCause(EnumOf<WaitCause>(c.GetProperty("cause").GetString()!), shares[i]))
            .ToList();
        return new SweepRow(
            point,
            r.GetProperty("seed").GetUInt64(),
            r.GetProperty("repetitions").GetInt32(),
            EnumOf<TesterMode>(r.GetProperty("mode").GetString()!),
            frames,
            r.GetProperty("lossRatio").GetDouble(),
            latency,
            l.GetProperty("maxNsPerRepetition").EnumerateArray().Select(m => m.GetInt64()).ToList(),
            r.GetProperty("excursionsAbove1ms").GetInt64(),
            r.GetProperty("excursionsAbove1msPerSecond").GetDouble(),
            causes,
            r.GetProperty("events").GetInt64());
    }

    /// <summary>The enum value whose camel-case name (as the JSON writers spell it) is <paramref name="name"/>.</summary>
    private static T EnumOf<T>(string name)
        where T : struct, Enum
    {
        foreach (T value in Enum.GetValues<T>())
        {
            if (JsonNamingPolicy.CamelCase.ConvertName(value.ToString()) == name)
            {
                return value;
            }
        }

        throw new FormatException($"unknown {typeof(T).Name} '{name}'");
    }
}
