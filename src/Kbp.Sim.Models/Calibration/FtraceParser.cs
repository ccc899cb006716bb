using System.Globalization;
using System.Text.RegularExpressions;

namespace Kbp.Sim.Models.Calibration;

/// <summary>A line that could not be read, with its number (1-based) and why.</summary>
/// <param name="Line">The line number.</param>
/// <param name="Problem">What was wrong.</param>
public readonly record struct FtraceProblem(int Line, string Problem);

/// <summary>The events of a trace file and the lines that were skipped.</summary>
/// <param name="Events">Events in file order.</param>
/// <param name="Problems">Malformed lines, in order.</param>
public sealed record FtraceTrace(IReadOnlyList<FtraceEvent> Events, IReadOnlyList<FtraceProblem> Problems);

/// <summary>
/// Reads kernel trace text as tracefs writes it (<c>trace</c>, <c>trace_pipe</c>: task-pid,
/// [cpu], the irqs-off/need-resched/hardirq/softirq/preempt flags, timestamp, event) and as
/// <c>trace-cmd report</c> prints it (the same without the flags column). Timestamps are
/// seconds with a fraction of any precision (the local/global/mono clocks, µs or ns
/// resolution) or a plain integer counter taken as ns. Comment lines (#) and blank lines are
/// skipped silently; other lines that do not parse are reported with their numbers.
/// </summary>
public static partial class FtraceParser
{
    /// <summary>Parses the text of a trace.</summary>
    public static FtraceTrace Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var events = new List<FtraceEvent>();
        var problems = new List<FtraceProblem>();
        int number = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed.StartsWith("cpus=", StringComparison.Ordinal) || trimmed.StartsWith("CPU:", StringComparison.Ordinal))
            {
                continue;
            }

            Match m = LinePattern().Match(line);
            if (!m.Success)
            {
                problems.Add(new FtraceProblem(number, "not a trace event line (expected 'task-pid [cpu] timestamp: event: fields')"));
                continue;
            }

            if (!TryParseTime(m.Groups["ts"].Value, out long timeNs))
            {
                problems.Add(new FtraceProblem(number, $"timestamp '{m.Groups["ts"].Value}' is not a number"));
                continue;
            }

            events.Add(new FtraceEvent(
                m.Groups["task"].Value.Trim(),
                int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture),
                int.Parse(m.Groups["cpu"].Value, CultureInfo.InvariantCulture),
                timeNs,
                m.Groups["event"].Value,
                Fields(m.Groups["args"].Value),
                m.Groups["args"].Value));
        }

        return new FtraceTrace(events, problems);
    }

    /// <summary>Seconds with a fraction (any number of digits) or an integer counter in ns.</summary>
    private static bool TryParseTime(string text, out long ns)
    {
        ns = 0;
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ns);
        }

        string fraction = text[(dot + 1)..];
        if (!long.TryParse(text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            || fraction.Length == 0 || fraction.Length > 9
            || !long.TryParse(fraction, NumberStyles.None, CultureInfo.InvariantCulture, out long frac))
        {
            return false;
        }

        for (int i = fraction.Length; i < 9; i++)
        {
            frac *= 10;
        }

        ns = (seconds * 1_000_000_000) + frac;
        return true;
    }

    /// <summary>key=value pairs; "[action=NET_RX]" style values lose their brackets.</summary>
    private static Dictionary<string, string> Fields(string args)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match f in FieldPattern().Matches(args))
        {
            fields[f.Groups["k"].Value] = f.Groups["v"].Value.TrimEnd(']');
        }

        return fields;
    }

    // task-pid, optional tgid "(  123)", [cpu], optional flags (4-5 chars), timestamp, event.
    [GeneratedRegex(@"^\s*(?<task>.+?)-(?<pid>\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[(?<cpu>\d+)\]\s+(?:[\w.]{4,5}\s+)?(?<ts>[\d.]+):\s+(?<event>\w+):\s*(?<args>.*)$")]
    private static partial Regex LinePattern();

    [GeneratedRegex(@"\[?(?<k>[A-Za-z_][\w]*)=(?<v>[^\s]+)")]
    private static partial Regex FieldPattern();
}
