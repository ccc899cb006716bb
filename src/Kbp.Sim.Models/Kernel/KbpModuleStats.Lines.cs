using System.Globalization;
using System.Text.RegularExpressions;

namespace Kbp.Sim.Models.Kernel;

/// <summary>The readers of one line each: the README's regular expressions, then the v1 keys.</summary>
public sealed partial class KbpModuleStats
{
    private static readonly string[] CpuKeys =
    [
        "schedules", "remote_schedules", "wakeups", "polls", "packets", "empty_polls", "idle_loops", "requeues",
        "sched_to_poll_count", "sched_to_poll_sum_ns", "sched_to_poll_max_ns",
    ];

    /// <summary>Splits " k=v k=v" into a dictionary; returns the first duplicated key, or null.</summary>
    private static string? Fields(string text, out Dictionary<string, string> fields)
    {
        fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string field in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = field.IndexOf('=', StringComparison.Ordinal);
            if (!fields.TryAdd(field[..eq], field[(eq + 1)..]))
            {
                return field[..eq];
            }
        }

        return null;
    }

    private static string? ParseCpuLine(string line, out int cpu, out KbpCounters counters)
    {
        counters = new KbpCounters();
        cpu = -1;
        Match m = CpuLine().Match(line);
        if (!m.Success)
        {
            return "malformed cpu line; expected 'cpu=N key=value ...' with decimal values";
        }

        if (!int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out cpu))
        {
            return $"cpu={m.Groups[1].Value} is not a CPU number";
        }

        if (Fields(m.Groups[2].Value, out Dictionary<string, string> fields) is string duplicate)
        {
            return $"cpu={cpu}: {duplicate} given twice";
        }

        var values = new long[CpuKeys.Length];
        var missing = new List<string>();
        for (int i = 0; i < CpuKeys.Length; i++)
        {
            if (!fields.TryGetValue(CpuKeys[i], out string? text))
            {
                missing.Add(CpuKeys[i]);
            }
            else if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                return $"cpu={cpu}: {CpuKeys[i]}={text} is out of range";
            }
        }

        if (missing.Count > 0)
        {
            return $"cpu={cpu} lacks {string.Join(", ", missing)}";
        }

        counters.Schedules = values[0];
        counters.RemoteSchedules = values[1];
        counters.Wakeups = values[2];
        counters.Polls = values[3];
        counters.Packets = values[4];
        counters.EmptyPolls = values[5];
        counters.IdleLoops = values[6];
        counters.Requeues = values[7];
        counters.SchedToPollCount = values[8];
        counters.SchedToPollSumNs = values[9];
        counters.SchedToPollMaxNs = values[10];
        return null;
    }

    private static string? ParseBatchLine(string line, out int cpu, out long[] counts)
    {
        counts = new long[KbpBatchHistogram.BucketCount];
        cpu = -1;
        Match m = BatchLine().Match(line);
        if (!m.Success)
        {
            return "malformed batch line; expected 'batch cpu=N 0=n 1=n 2-3=n ... 256+=n'";
        }

        if (!int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out cpu))
        {
            return $"batch cpu={m.Groups[1].Value} is not a CPU number";
        }

        if (Fields(m.Groups[2].Value, out Dictionary<string, string> fields) is string duplicate)
        {
            return $"batch cpu={cpu}: bucket {duplicate} given twice";
        }

        foreach ((string label, string text) in fields)
        {
            int bucket = KbpBatchHistogram.BucketOfLabel(label);
            if (bucket < 0)
            {
                return $"batch cpu={cpu}: {label} is not a v1 bucket (0, 1, 2-3, 4-7, ..., 128-255, 256+)";
            }

            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out counts[bucket]))
            {
                return $"batch cpu={cpu}: {label}={text} is out of range";
            }
        }

        if (fields.Count != KbpBatchHistogram.BucketCount)
        {
            return $"batch cpu={cpu} has {fields.Count} of the {KbpBatchHistogram.BucketCount} buckets";
        }

        return null;
    }

    [GeneratedRegex(@"^# kbp stats v([0-9]+)$")]
    private static partial Regex VersionHeader();

    [GeneratedRegex(@"^params( [A-Za-z0-9_]+=[^ ]+)+$")]
    private static partial Regex ParamsLine();

    [GeneratedRegex(@"^cpu=([0-9]+)((?: [A-Za-z0-9_]+=[0-9]+)+)$")]
    private static partial Regex CpuLine();

    [GeneratedRegex(@"^batch cpu=([0-9]+)((?: [0-9]+(?:-[0-9]+|\+)?=[0-9]+)+)$")]
    private static partial Regex BatchLine();
}
