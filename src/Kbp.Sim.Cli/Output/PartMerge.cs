using System.Diagnostics.CodeAnalysis;
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
        if (!PartFile.TryReadLines(paths, out var texts, out error)
            || !PartUnits.TryParseAll(texts, "sweep", "points", PartJson.TryParse, out List<PartLine> lines, out error))
        {
            return false;
        }

        PartHeader reference = lines[0].Header;
        IReadOnlyList<string> expected = [.. SweepPoint.Enumerate(reference.Vary).Select(p => p.Id)];
        if (!PartUnits.TryPlace(lines.Select(l => new PartUnit<SweepRow>(l.Row.Point.Id, l.Row.Point.Index, reference.Difference(l.Header), l.Row)), expected, "point", "the --vary product", out rows, out error))
        {
            return false;
        }

        header = reference;
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
}
