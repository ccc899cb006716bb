using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Cli.Output;

/// <summary>
/// What every line of a sharded capacity grid's parts must agree on: the program version,
/// the scenario (its name, and the file and profile the merge reads its analytic table from),
/// the <c>--set</c> overrides (the seed included), the objective, the trial time, the grid's
/// frame sizes and rates (ascending) and the analytic table as <c>capacity --json</c> writes it.
/// </summary>
internal sealed record CapacityPartHeader(
    string Version,
    string Scenario,
    string File,
    string? Profile,
    IReadOnlyList<string> Overrides,
    string Slo,
    long TrialNs,
    IReadOnlyList<int> FrameSizes,
    IReadOnlyList<long> RatesBps,
    string Analytic)
{
    /// <summary>The first field that differs from <paramref name="other"/>, in words, or null when they agree.</summary>
    public string? Difference(CapacityPartHeader other)
    {
        ArgumentNullException.ThrowIfNull(other);
        static string List<T>(IEnumerable<T> values) => string.Join(",", values);
        (string Name, string Mine, string Theirs)[] fields =
        [
            ("version", Version, other.Version),
            ("scenario", Scenario, other.Scenario),
            ("file", File, other.File),
            ("--profile", Profile ?? "(none)", other.Profile ?? "(none)"),
            ("--set", string.Join(" ", Overrides), string.Join(" ", other.Overrides)),
            ("--slo", Slo, other.Slo),
            ("trial", TrialNs.ToString(CultureInfo.InvariantCulture) + " ns", other.TrialNs.ToString(CultureInfo.InvariantCulture) + " ns"),
            ("frame sizes", List(FrameSizes), List(other.FrameSizes)),
            ("rates", List(RatesBps), List(other.RatesBps)),
        ];
        foreach ((string name, string mine, string theirs) in fields)
        {
            if (mine != theirs)
            {
                return $"{name} {theirs}, not {mine}";
            }
        }

        return Analytic == other.Analytic ? null : "another analytic table (the scenario or profile file changed)";
    }
}

/// <summary>One line of a capacity part: the header, the cell's index and its trial.</summary>
internal sealed record CapacityPartLine(CapacityPartHeader Header, int Index, CapacityTrialOutcome Trial);

/// <summary>
/// The part files of a sharded <c>kbp-sim capacity</c> grid (<c>--shard K/N</c>): the work
/// unit is a cell (one trial), its index its position in <see cref="Capacity.GridCells"/> and
/// its id the point's (<c>512B@1000000000bps/l2</c>). Each line holds the header fields and
/// the trial with every number exact (<see cref="CapacityTrialJson"/>), so the merge rebuilds
/// the result and writes the unsharded JSON with the same writer.
/// </summary>
internal static class PartCapacity
{
    /// <summary>The <c>kind</c> of a capacity part line.</summary>
    public const string Kind = "capacity";

    /// <summary>The line of the cell at <paramref name="index"/>, without the line break.</summary>
    public static string Line(CapacityPartHeader header, int index, CapacityTrialOutcome trial)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(trial);
        return PartUnits.Line(Kind, index, trial.Point.Id, json =>
        {
            json.WriteNumber("seed", trial.Seed);
            json.WriteString("scenario", header.Scenario);
            json.WriteString("version", header.Version);
            json.WriteString("file", header.File);
            json.WriteString("profile", header.Profile);
            Strings(json, "overrides", header.Overrides);
            json.WriteString("slo", header.Slo);
            json.WriteNumber("trialNs", header.TrialNs);
            json.WriteStartArray("frameSizes");
            foreach (int f in header.FrameSizes)
            {
                json.WriteNumberValue(f);
            }

            json.WriteEndArray();
            json.WriteStartArray("ratesBps");
            foreach (long r in header.RatesBps)
            {
                json.WriteNumberValue(r);
            }

            json.WriteEndArray();
            json.WritePropertyName("analytic");
            json.WriteRawValue(header.Analytic);
            json.WritePropertyName("trial");
            CapacityTrialJson.Write(json, trial);
        });
    }

    /// <summary>Parses one line; false (with the reason) when it is not a complete capacity part line.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out CapacityPartLine? line, [NotNullWhen(false)] out string? error)
    {
        line = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out JsonElement kind) || kind.GetString() != Kind)
            {
                error = "not a capacity part line";
                return false;
            }

            var header = new CapacityPartHeader(
                root.GetProperty("version").GetString()!,
                root.GetProperty("scenario").GetString()!,
                root.GetProperty("file").GetString()!,
                root.GetProperty("profile").GetString(),
                [.. root.GetProperty("overrides").EnumerateArray().Select(o => o.GetString()!)],
                root.GetProperty("slo").GetString()!,
                root.GetProperty("trialNs").GetInt64(),
                [.. root.GetProperty("frameSizes").EnumerateArray().Select(f => f.GetInt32())],
                [.. root.GetProperty("ratesBps").EnumerateArray().Select(r => r.GetInt64())],
                root.GetProperty("analytic").GetRawText());
            CapacityTrialOutcome trial = CapacityTrialJson.Read(root.GetProperty("trial"));
            if (trial.Point.Id != root.GetProperty("id").GetString())
            {
                error = "its id differs from its trial's";
                return false;
            }

            line = new CapacityPartLine(header, root.GetProperty("index").GetInt32(), trial);
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
    /// Combines the lines of <paramref name="texts"/> (file, line number, text) into every cell
    /// of the grid in cell order, or names the cells that are missing, doubled or from another run.
    /// </summary>
    public static bool TryMerge(
        IReadOnlyList<(string Path, int Line, string Text)> texts,
        [NotNullWhen(true)] out CapacityPartHeader? header,
        [NotNullWhen(true)] out IReadOnlyList<CapacityTrialOutcome>? cells,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(texts);
        header = null;
        cells = null;
        if (!PartUnits.TryParseAll(texts, Kind, "cells", TryParse, out List<CapacityPartLine> lines, out error))
        {
            return false;
        }

        CapacityPartHeader reference = lines[0].Header;
        bool l1 = lines[0].Trial.Point.RateIsL1;
        IReadOnlyList<string> expected = [.. reference.FrameSizes.SelectMany(f => reference.RatesBps.Select(r => new CapacityPoint(f, r, l1).Id))];
        if (!PartUnits.TryPlace(lines.Select(l => new PartUnit<CapacityTrialOutcome>(l.Trial.Point.Id, l.Index, reference.Difference(l.Header), l.Trial)), expected, "cell", "the grid", out cells, out error))
        {
            return false;
        }

        header = reference;
        return true;
    }

    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (string v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }
}
