using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Cli.Output;

/// <summary>What every line of a sharded <c>validate</c>'s parts must agree on: the program version, the run seed, the run lengths (<c>--quick</c> or the paper's) and the suite (vm, containers or all).</summary>
internal sealed record ValidationPartHeader(string Version, ulong Seed, SuiteSettings Settings, string Suite)
{
    /// <summary>The run's settings in one comparable line.</summary>
    public string Key => string.Create(
        CultureInfo.InvariantCulture,
        $"version {Version}, seed {Seed}, {(Settings.Quick ? "--quick" : "full")} (latency {Settings.LatencyDurationNs} ns x {Settings.LatencyRepetitions}, trials {Settings.TrialNs} ns x {Settings.ThroughputRepetitions} at {Settings.Resolution:R}), --suite {Suite}");

    /// <summary>Whether the suite has the VM claims.</summary>
    public bool Vm => Suite != "containers";

    /// <summary>Whether the suite has the container predictions.</summary>
    public bool Containers => Suite != "vm";
}

/// <summary>One line of a validate part: the header, the unit's index and what it measured.</summary>
internal sealed record ValidationPartLine(ValidationPartHeader Header, int Index, SuiteUnitResult Unit);

/// <summary>
/// The part files of a sharded <c>kbp-sim validate</c> (<c>--shard K/N</c>): the work unit is a
/// unit of the paper suite (<see cref="PaperSuite.UnitIds"/>: a latency run, one frame size of
/// an RFC 2544 run, or the frame-size limit). Each line holds the header fields and what the
/// unit measured with every number exact, so the merge evaluates the claims on the very values
/// of the unsharded run and writes its JSON with the same writer.
/// </summary>
internal static class PartValidation
{
    /// <summary>The <c>kind</c> of a validate part line.</summary>
    public const string Kind = "validate";

    /// <summary>The line of the unit at <paramref name="index"/>, without the line break.</summary>
    public static string Line(ValidationPartHeader header, int index, SuiteUnitResult unit)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(unit);
        return PartUnits.Line(Kind, index, unit.Id, json =>
        {
            json.WriteString("version", header.Version);
            json.WriteNumber("seed", header.Seed);
            SuiteSettings settings = header.Settings;
            json.WriteStartObject("settings");
            json.WriteBoolean("quick", settings.Quick);
            json.WriteNumber("latencyDurationNs", settings.LatencyDurationNs);
            json.WriteNumber("latencyRepetitions", settings.LatencyRepetitions);
            json.WriteNumber("trialNs", settings.TrialNs);
            json.WriteNumber("throughputRepetitions", settings.ThroughputRepetitions);
            json.WriteNumber("resolution", settings.Resolution);
            json.WriteEndObject();
            json.WriteString("suite", header.Suite);
            if (unit.Latency is SuiteRun run)
            {
                json.WritePropertyName("latencyRun");
                WriteRun(json, run);
            }
            else if (unit.Throughput is ThroughputAtFrameSize size)
            {
                json.WritePropertyName("frameSize");
                PartRfc2544.WriteRow(json, new Rfc2544Result(header.Seed, settings.Resolution, settings.TrialNs, settings.ThroughputRepetitions, [size]));
            }
            else
            {
                json.WriteNumber("frameSizeLimitBytes", unit.FrameSizeLimitBytes!.Value);
            }
        });
    }

    /// <summary>Parses one line; false (with the reason) when it is not a complete validate part line.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ValidationPartLine? line, [NotNullWhen(false)] out string? error)
    {
        line = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out JsonElement kind) || kind.GetString() != Kind)
            {
                error = "not a validate part line";
                return false;
            }

            JsonElement s = root.GetProperty("settings");
            var settings = new SuiteSettings(
                s.GetProperty("quick").GetBoolean(),
                s.GetProperty("latencyDurationNs").GetInt64(),
                s.GetProperty("latencyRepetitions").GetInt32(),
                s.GetProperty("trialNs").GetInt64(),
                s.GetProperty("throughputRepetitions").GetInt32(),
                s.GetProperty("resolution").GetDouble());
            var header = new ValidationPartHeader(root.GetProperty("version").GetString()!, root.GetProperty("seed").GetUInt64(), settings, root.GetProperty("suite").GetString()!);
            string id = root.GetProperty("id").GetString()!;
            SuiteUnitResult unit = root.TryGetProperty("latencyRun", out JsonElement run)
                ? new SuiteUnitResult(id, RunOf(run), null, null)
                : root.TryGetProperty("frameSize", out JsonElement size)
                    ? new SuiteUnitResult(id, null, PartRfc2544.RowOf(size), null)
                    : new SuiteUnitResult(id, null, null, root.GetProperty("frameSizeLimitBytes").GetInt32());
            line = new ValidationPartLine(header, root.GetProperty("index").GetInt32(), unit);
            error = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            error = e.Message.ReplaceLineEndings(" ");
            return false;
        }
    }

    /// <summary>
    /// Combines the lines of <paramref name="texts"/> (file, line number, text) into every unit's
    /// result by id, or names the units that are missing, doubled or from another run.
    /// </summary>
    public static bool TryMerge(
        IReadOnlyList<(string Path, int Line, string Text)> texts,
        [NotNullWhen(true)] out ValidationPartHeader? header,
        [NotNullWhen(true)] out IReadOnlyDictionary<string, SuiteUnitResult>? units,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(texts);
        header = null;
        units = null;
        if (!PartUnits.TryParseAll(texts, Kind, "units", TryParse, out List<ValidationPartLine> lines, out error))
        {
            return false;
        }

        ValidationPartHeader reference = lines[0].Header;
        IReadOnlyList<string> expected = PaperSuite.UnitIds(reference.Vm, reference.Containers);
        string? Foreign(ValidationPartHeader h) => h.Key == reference.Key ? null : $"{h.Key}, not {reference.Key}";
        if (!PartUnits.TryPlace(lines.Select(l => new PartUnit<SuiteUnitResult>(l.Unit.Id, l.Index, Foreign(l.Header), l.Unit)), expected, "unit", "the suite", out IReadOnlyList<SuiteUnitResult>? placed, out error))
        {
            return false;
        }

        header = reference;
        units = placed.ToDictionary(u => u.Id);
        return true;
    }

    private static void WriteRun(Utf8JsonWriter json, SuiteRun run)
    {
        json.WriteStartObject();
        json.WritePropertyName("latency");
        WriteDelay(json, run.Latency);
        FrameCounts f = run.Frames;
        json.WriteStartObject("frames");
        json.WriteNumber("offered", f.Offered);
        json.WriteNumber("sent", f.Sent);
        json.WriteNumber("received", f.Received);
        json.WriteNumber("lost", f.Lost);
        json.WriteNumber("inFlight", f.InFlight);
        json.WriteStartObject("lostByReason");
        foreach ((DropReason reason, long n) in f.LostByReason)
        {
            json.WriteNumber(reason.ToString(), n);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("stages");
        foreach (DelaySummary stage in run.Stages)
        {
            WriteDelay(json, stage);
        }

        json.WriteEndArray();
        TailCauseJson.Write(json, "tailCauses", run.TailCauses);
        json.WriteNumber("excursionsPerSecond", run.ExcursionsPerSecond);
        json.WriteEndObject();
    }

    private static void WriteDelay(Utf8JsonWriter json, DelaySummary d)
    {
        json.WriteStartObject();
        json.WriteString("name", d.Name);
        json.WriteNumber("count", d.Count);
        json.WriteNumber("minNs", d.MinNs);
        json.WriteNumber("maxNs", d.MaxNs);
        json.WriteNumber("meanNs", d.MeanNs);
        json.WriteEndObject();
    }

    private static SuiteRun RunOf(JsonElement r)
    {
        JsonElement f = r.GetProperty("frames");
        var lost = new Dictionary<DropReason, long>();
        foreach (JsonProperty reason in f.GetProperty("lostByReason").EnumerateObject())
        {
            lost.Add(Enum.Parse<DropReason>(reason.Name), reason.Value.GetInt64());
        }

        return new SuiteRun(
            DelayOf(r.GetProperty("latency")),
            new FrameCounts(f.GetProperty("offered").GetInt64(), f.GetProperty("sent").GetInt64(), f.GetProperty("received").GetInt64(), f.GetProperty("lost").GetInt64(), f.GetProperty("inFlight").GetInt64(), lost),
            [.. r.GetProperty("stages").EnumerateArray().Select(DelayOf)],
            TailCauseJson.Read(r.GetProperty("tailCauses")),
            r.GetProperty("excursionsPerSecond").GetDouble());
    }

    private static DelaySummary DelayOf(JsonElement d) => new(
        d.GetProperty("name").GetString()!,
        d.GetProperty("count").GetInt64(),
        d.GetProperty("minNs").GetInt64(),
        d.GetProperty("maxNs").GetInt64(),
        d.GetProperty("meanNs").GetDouble());
}
