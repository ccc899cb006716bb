using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Cli.Output;

/// <summary>
/// Combines the part files of a sharded sweep into the rows of the unsharded run: every
/// point of the <c>--vary</c> product exactly once, all from the same run (version,
/// scenario, seed, <c>--vary</c> and <c>--set</c>). The order the parts are given in does
/// not matter. Also reads what a part file already holds, for <c>--resume</c>.
/// </summary>
internal static class PartMerge
{
    /// <summary>Ids named in a message at most; the rest are counted.</summary>
    private const int NamedAtMost = 20;

    /// <summary>The <c>kind</c> of the first line of the first non-empty part that exists (<c>sweep</c> or <c>rfc2544</c>), or null.</summary>
    public static string? KindOf(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (string path in paths.Where(File.Exists))
        {
            string first = File.ReadLines(path).FirstOrDefault() ?? string.Empty;
            if (first.Length == 0)
            {
                continue;
            }

            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(first);
                return document.RootElement.TryGetProperty("kind", out System.Text.Json.JsonElement kind) ? kind.GetString() : null;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Reads and checks <paramref name="paths"/>; on success the header and the rows in point order.</summary>
    /// <param name="paths">The part files.</param>
    /// <param name="header">What all lines agree on.</param>
    /// <param name="rows">One row per point, in index order.</param>
    /// <param name="error">One line naming the missing, duplicate or mismatched points (or the unreadable file).</param>
    /// <returns>True when the parts make the whole sweep.</returns>
    public static bool TryMerge(IReadOnlyList<string> paths, [NotNullWhen(true)] out PartHeader? header, [NotNullWhen(true)] out IReadOnlyList<SweepRow>? rows, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(paths);
        header = null;
        rows = null;
        var lines = new List<PartLine>();
        foreach (string path in paths)
        {
            if (!File.Exists(path))
            {
                error = $"merge: part '{path}' does not exist";
                return false;
            }

            string[] texts = File.ReadAllText(path).Split('\n');
            for (int i = 0; i < texts.Length; i++)
            {
                if (texts[i].Length == 0 && i == texts.Length - 1)
                {
                    continue;
                }

                if (!PartJson.TryParse(texts[i], out PartLine? line, out string? why))
                {
                    error = string.Create(CultureInfo.InvariantCulture, $"merge: {path} line {i + 1} is not a complete sweep part line: {why}");
                    return false;
                }

                lines.Add(line);
            }
        }

        if (lines.Count == 0)
        {
            error = "merge: the parts hold no points";
            return false;
        }

        PartHeader reference = lines[0].Header;
        IReadOnlyList<SweepPoint> expected = SweepPoint.Enumerate(reference.Vary);
        var mismatched = new List<string>();
        var duplicates = new List<string>();
        var byIndex = new SweepRow?[expected.Count];
        foreach (PartLine line in lines)
        {
            SweepPoint point = line.Row.Point;
            if (reference.Difference(line.Header) is string difference)
            {
                mismatched.Add($"{point.Id} ({difference})");
            }
            else if (point.Index < 0 || point.Index >= expected.Count || expected[point.Index].Id != point.Id)
            {
                mismatched.Add(string.Create(CultureInfo.InvariantCulture, $"{point.Id} (not point {point.Index} of the --vary product)"));
            }
            else if (byIndex[point.Index] is not null)
            {
                duplicates.Add(point.Id);
            }
            else
            {
                byIndex[point.Index] = line.Row;
            }
        }

        var missing = expected.Where(p => byIndex[p.Index] is null).Select(p => p.Id).ToList();
        var problems = new List<string>();
        if (missing.Count > 0)
        {
            problems.Add($"{missing.Count} missing point(s): {Named(missing)}");
        }

        if (duplicates.Count > 0)
        {
            problems.Add($"{duplicates.Count} duplicate point(s): {Named(duplicates.Distinct().ToList())}");
        }

        if (mismatched.Count > 0)
        {
            problems.Add($"{mismatched.Count} point(s) from another run: {Named(mismatched)}");
        }

        if (problems.Count > 0)
        {
            error = "merge: " + string.Join("; ", problems);
            return false;
        }

        header = reference;
        rows = byIndex.Select(r => r!).ToList();
        error = null;
        return true;
    }

    /// <summary>
    /// The complete lines of a part file (or of a <c>.partial</c> file a stopped task left) that
    /// belong to the run described by <paramref name="header"/>; a torn or foreign line is skipped.
    /// </summary>
    public static IEnumerable<PartLine> ReadComplete(string path, PartHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        string[] texts = text.Split('\n');

        // The last element follows the last line break: empty, or a line being written.
        for (int i = 0; i < texts.Length - 1; i++)
        {
            if (PartJson.TryParse(texts[i], out PartLine? line, out _) && line.Header.Difference(header) is null)
            {
                yield return line;
            }
        }
    }

    private static string Named(IReadOnlyList<string> ids) =>
        ids.Count <= NamedAtMost
            ? string.Join(" | ", ids)
            : string.Join(" | ", ids.Take(NamedAtMost)) + string.Create(CultureInfo.InvariantCulture, $" | and {ids.Count - NamedAtMost} more");
}
