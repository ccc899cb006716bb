using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kbp.Sim.Cli.Output;

/// <summary>Parses one part line; false with the reason when it is not a complete line of its kind.</summary>
internal delegate bool PartLineParser<T>(string text, [NotNullWhen(true)] out T? line, [NotNullWhen(false)] out string? error)
    where T : class;

/// <summary>One line of a part as the merge places it: the unit's id and index, how its run differs from the first line's (null when it does not), and what it holds.</summary>
internal readonly record struct PartUnit<T>(string Id, int Index, string? Foreign, T Value);

/// <summary>
/// The checks every merge makes, whatever the unit (a sweep point, an rfc2544 frame size, a
/// capacity cell, a validate unit): every line parses, and the lines cover the expected
/// units exactly once, all from the same run; otherwise one line naming them.
/// </summary>
internal static class PartUnits
{
    /// <summary>Ids named in a message at most; the rest are counted.</summary>
    private const int NamedAtMost = 20;

    /// <summary>One part line, without the line break: an object of <c>kind</c>, <c>index</c> and <c>id</c>, then what <paramref name="body"/> writes.</summary>
    public static string Line(string kind, int index, string id, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("kind", kind);
            json.WriteNumber("index", index);
            json.WriteString("id", id);
            body(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses every line of <paramref name="texts"/> (file, line number, text); false with one line naming the first bad one, or saying there are none.</summary>
    public static bool TryParseAll<T>(
        IReadOnlyList<(string Path, int Line, string Text)> texts, string kind, string units, PartLineParser<T> parse, out List<T> lines, [NotNullWhen(false)] out string? error)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(parse);
        lines = [];
        foreach ((string path, int number, string text) in texts)
        {
            if (!parse(text, out T? line, out string? why))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"merge: {path} line {number} is not a complete {kind} part line: {why}");
                return false;
            }

            lines.Add(line);
        }

        error = lines.Count == 0 ? $"merge: the parts hold no {units}" : null;
        return error is null;
    }

    /// <summary>
    /// Puts every unit at its index of <paramref name="expectedIds"/>; false with one line naming
    /// the missing, duplicate and foreign units (of another run, or not at their index of
    /// <paramref name="whole"/>) otherwise.
    /// </summary>
    /// <param name="lines">The parsed lines.</param>
    /// <param name="expectedIds">The ids of the whole run's units, in index order.</param>
    /// <param name="unit">What a unit is called: "point".</param>
    /// <param name="whole">What the units are of: "the --vary product".</param>
    /// <param name="values">The units' values in index order.</param>
    /// <param name="error">The one line.</param>
    public static bool TryPlace<T>(
        IEnumerable<PartUnit<T>> lines, IReadOnlyList<string> expectedIds, string unit, string whole, [NotNullWhen(true)] out IReadOnlyList<T>? values, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(expectedIds);
        var byIndex = new T[expectedIds.Count];
        var placed = new bool[expectedIds.Count];
        var mismatched = new List<string>();
        var duplicates = new List<string>();
        foreach (PartUnit<T> line in lines)
        {
            if (line.Foreign is string difference)
            {
                mismatched.Add($"{line.Id} ({difference})");
            }
            else if (line.Index < 0 || line.Index >= expectedIds.Count || expectedIds[line.Index] != line.Id)
            {
                mismatched.Add(string.Create(CultureInfo.InvariantCulture, $"{line.Id} (not {unit} {line.Index} of {whole})"));
            }
            else if (placed[line.Index])
            {
                duplicates.Add(line.Id);
            }
            else
            {
                byIndex[line.Index] = line.Value;
                placed[line.Index] = true;
            }
        }

        var missing = expectedIds.Where((_, i) => !placed[i]).ToList();
        var problems = new List<string>();
        if (missing.Count > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{missing.Count} missing {unit}(s): {Named(missing)}"));
        }

        if (duplicates.Count > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{duplicates.Count} duplicate {unit}(s): {Named(duplicates.Distinct().ToList())}"));
        }

        if (mismatched.Count > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{mismatched.Count} {unit}(s) from another run: {Named(mismatched)}"));
        }

        values = problems.Count == 0 ? byIndex : null;
        error = problems.Count == 0 ? null : "merge: " + string.Join("; ", problems);
        return values is not null;
    }

    private static string Named(IReadOnlyList<string> ids) =>
        ids.Count <= NamedAtMost
            ? string.Join(" | ", ids)
            : string.Join(" | ", ids.Take(NamedAtMost)) + string.Create(CultureInfo.InvariantCulture, $" | and {ids.Count - NamedAtMost} more");
}
