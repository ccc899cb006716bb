using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Cli.Output;

/// <summary>
/// What every line of an <c>rfc2544</c> run's parts must agree on: the program version, the
/// scenario, the run seed, the search's resolution, the trial time, the repetitions, the
/// frame sizes asked for and the <c>--set</c> overrides.
/// </summary>
internal sealed record Rfc2544PartHeader(string Version, string Scenario, ulong Seed, double Resolution, long TrialNs, int Repetitions, IReadOnlyList<int> FrameSizes, IReadOnlyList<string> Overrides)
{
    /// <summary>The run's settings in one comparable line.</summary>
    public string Key => string.Create(
        CultureInfo.InvariantCulture,
        $"version {Version}, scenario '{Scenario}', seed {Seed}, resolution {Resolution:R}, trial {TrialNs} ns, {Repetitions} repetition(s), frame sizes {string.Join(",", FrameSizes)}, --set {string.Join(" ", Overrides)}");
}

/// <summary>
/// The part files of a sharded <c>kbp-sim rfc2544</c> (<c>--shard K/N</c>): the work unit is
/// a frame size (its searches and its loss-point trial), its index the position in
/// <c>--frame-sizes</c>. Each line holds the header fields and the frame size's object exactly
/// as <see cref="Rfc2544Json"/> writes it; every number in it is exact, so the merge
/// rebuilds the result and writes the unsharded JSON with the same writer.
/// </summary>
internal static class PartRfc2544
{
    /// <summary>The line of the frame size at <paramref name="index"/> of <paramref name="header"/>'s list.</summary>
    public static string Line(Rfc2544PartHeader header, int index, ThroughputAtFrameSize size)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(size);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("kind", "rfc2544");
            json.WriteNumber("index", index);
            json.WriteString("id", Id(size.FrameBytes));
            json.WriteString("scenario", header.Scenario);
            json.WriteString("version", header.Version);
            json.WriteNumber("seed", header.Seed);
            json.WriteNumber("resolution", header.Resolution);
            json.WriteNumber("trialNs", header.TrialNs);
            json.WriteNumber("repetitions", header.Repetitions);
            json.WriteStartArray("frameSizes");
            foreach (int f in header.FrameSizes)
            {
                json.WriteNumberValue(f);
            }

            json.WriteEndArray();
            json.WriteStartArray("overrides");
            foreach (string o in header.Overrides)
            {
                json.WriteStringValue(o);
            }

            json.WriteEndArray();
            json.WritePropertyName("row");
            WriteRow(json, new Rfc2544Result(header.Seed, header.Resolution, header.TrialNs, header.Repetitions, [size]));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the object of the one frame size of <paramref name="oneSize"/> exactly as <see cref="Rfc2544Json"/> writes it; every number in it is exact.</summary>
    public static void WriteRow(Utf8JsonWriter json, Rfc2544Result oneSize)
    {
        ArgumentNullException.ThrowIfNull(json);
        var whole = new StringWriter();
        Rfc2544Json.Write(whole, string.Empty, oneSize);
        using JsonDocument document = JsonDocument.Parse(whole.ToString());
        document.RootElement.GetProperty("frameSizes")[0].WriteTo(json);
    }

    /// <summary>The frame size <see cref="WriteRow"/> wrote.</summary>
    /// <exception cref="KeyNotFoundException">A field is missing.</exception>
    /// <exception cref="InvalidOperationException">A field has the wrong type.</exception>
    public static ThroughputAtFrameSize RowOf(JsonElement r)
    {
        var searches = r.GetProperty("searches").EnumerateArray().Select(s => new ThroughputSearch(
            r.GetProperty("frameBytes").GetInt32(),
            s.GetProperty("repetition").GetInt32(),
            s.GetProperty("seed").GetUInt64(),
            s.GetProperty("zeroLossRateBps").GetInt64(),
            s.GetProperty("lossPointBps").ValueKind == JsonValueKind.Null ? null : s.GetProperty("lossPointBps").GetInt64(),
            s.GetProperty("trials").EnumerateArray().Select(Trial).ToList())).ToList();
        JsonElement lossPoint = r.GetProperty("lossPointTrial");
        return new ThroughputAtFrameSize(
            r.GetProperty("frameBytes").GetInt32(),
            r.GetProperty("lineRateBps").GetInt64(),
            searches,
            lossPoint.ValueKind == JsonValueKind.Null ? null : Trial(lossPoint));
    }

    /// <summary>Parses one line; false when it is not a complete rfc2544 part line.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out (Rfc2544PartHeader Header, int Index, ThroughputAtFrameSize Size)? line, [NotNullWhen(false)] out string? error)
    {
        line = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out JsonElement kind) || kind.GetString() != "rfc2544")
            {
                error = "not an rfc2544 part line";
                return false;
            }

            var header = new Rfc2544PartHeader(
                root.GetProperty("version").GetString()!,
                root.GetProperty("scenario").GetString()!,
                root.GetProperty("seed").GetUInt64(),
                root.GetProperty("resolution").GetDouble(),
                root.GetProperty("trialNs").GetInt64(),
                root.GetProperty("repetitions").GetInt32(),
                root.GetProperty("frameSizes").EnumerateArray().Select(f => f.GetInt32()).ToList(),
                root.GetProperty("overrides").EnumerateArray().Select(o => o.GetString()!).ToList());
            ThroughputAtFrameSize size = RowOf(root.GetProperty("row"));
            line = (header, root.GetProperty("index").GetInt32(), size);
            error = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            error = e.Message.ReplaceLineEndings(" ");
            return false;
        }
    }

    private static string Id(int frameBytes) => string.Create(CultureInfo.InvariantCulture, $"{frameBytes}B");

    private static TrialOutcome Trial(JsonElement t)
    {
        var lost = new long[Enum.GetValues<DropReason>().Length];
        foreach (JsonProperty reason in t.GetProperty("lostByReason").EnumerateObject())
        {
            DropReason which = Enum.GetValues<DropReason>().First(d => JsonNamingPolicy.CamelCase.ConvertName(d.ToString()) == reason.Name);
            lost[(int)which] = reason.Value.GetInt64();
        }

        return new TrialOutcome(
            t.GetProperty("rateBps").GetInt64(),
            t.GetProperty("passed").GetBoolean(),
            t.GetProperty("stoppedEarly").GetBoolean(),
            t.GetProperty("offered").GetInt64(),
            t.GetProperty("sent").GetInt64(),
            t.GetProperty("received").GetInt64(),
            t.GetProperty("lost").GetInt64(),
            t.GetProperty("inFlight").GetInt64(),
            lost,
            t.GetProperty("events").GetInt64());
    }

    /// <summary>Combines the lines of <paramref name="texts"/> (file, line number, text) into the whole result, or names what is missing, doubled or foreign.</summary>
    public static bool TryMerge(IReadOnlyList<(string Path, int Line, string Text)> texts, [NotNullWhen(true)] out Rfc2544PartHeader? header, [NotNullWhen(true)] out Rfc2544Result? result, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(texts);
        header = null;
        result = null;
        var lines = new List<(Rfc2544PartHeader Header, int Index, ThroughputAtFrameSize Size)>();
        foreach ((string path, int number, string text) in texts)
        {
            if (!TryParse(text, out var line, out string? why))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"merge: {path} line {number} is not a complete rfc2544 part line: {why}");
                return false;
            }

            lines.Add(line.Value);
        }

        if (lines.Count == 0)
        {
            error = "merge: the parts hold no frame sizes";
            return false;
        }

        Rfc2544PartHeader reference = lines[0].Header;
        IReadOnlyList<string> expected = [.. reference.FrameSizes.Select(Id)];
        string? Foreign(Rfc2544PartHeader h) => h.Key == reference.Key ? null : h.Key;
        if (!PartUnits.TryPlace(lines.Select(l => new PartUnit<ThroughputAtFrameSize>(Id(l.Size.FrameBytes), l.Index, Foreign(l.Header), l.Size)), expected, "frame size", "the list", out IReadOnlyList<ThroughputAtFrameSize>? sizes, out error))
        {
            return false;
        }

        header = reference;
        result = new Rfc2544Result(reference.Seed, reference.Resolution, reference.TrialNs, reference.Repetitions, sizes);
        return true;
    }
}
