namespace Kbp.Sim.Models.Kernel;

/// <summary>A line of a statistics file that was reported: skipped, or used with a caveat.</summary>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Message">What is wrong with it.</param>
/// <param name="Skipped">True when the line was not used.</param>
public sealed record KbpStatsProblem(int Line, string Message, bool Skipped);

/// <summary>
/// The statistics file of kernel-module/kbp.c (<c>/sys/kernel/debug/kbp/stats</c>, format v1,
/// kernel-module/README.md "Statistics"): the header, the <c>params</c> line, and per KBP
/// thread a <c>cpu=N</c> line of counters followed by its <c>batch cpu=N</c> histogram.
/// Malformed lines are reported with their number and skipped; keys a later version may add
/// are ignored. A file with no usable <c>cpu=N</c> line is refused.
/// </summary>
public sealed partial class KbpModuleStats
{
    /// <summary>The first line of a v1 file.</summary>
    public const string Header = "# kbp stats v1";

    private KbpModuleStats(IReadOnlyDictionary<string, string> parameters, KbpOptions? options, IReadOnlyList<KbpThreadStats> threads, IReadOnlyList<KbpStatsProblem> problems)
    {
        Params = parameters;
        Options = options;
        Threads = threads;
        Problems = problems;
    }

    /// <summary>The <c>params</c> line's fields in file order (empty without a usable one).</summary>
    public IReadOnlyDictionary<string, string> Params { get; }

    /// <summary>The <c>params</c> line as <see cref="KbpOptions"/> (model-only knobs at their defaults); null without a usable one.</summary>
    public KbpOptions? Options { get; }

    /// <summary>One entry per KBP thread, by CPU.</summary>
    public IReadOnlyList<KbpThreadStats> Threads { get; }

    /// <summary>The lines reported, in file order.</summary>
    public IReadOnlyList<KbpStatsProblem> Problems { get; }

    /// <summary>The number of lines skipped.</summary>
    public int SkippedLines => Problems.Count(p => p.Skipped);

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">Nothing usable in it, or another format version (one-line message).</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    public static KbpModuleStats Load(string path)
    {
        using StreamReader reader = File.OpenText(path);
        return Parse(reader);
    }

    /// <summary>Parses a statistics file's text.</summary>
    /// <exception cref="FormatException">Nothing usable in it, or another format version (one-line message).</exception>
    public static KbpModuleStats Parse(string text) => Parse(new StringReader(text));

    /// <summary>Parses a statistics file.</summary>
    /// <exception cref="FormatException">Nothing usable in it, or another format version (one-line message).</exception>
    public static KbpModuleStats Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var problems = new List<KbpStatsProblem>();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        KbpOptions? options = null;
        int paramsLine = 0;
        var cpus = new SortedDictionary<int, (int Line, KbpCounters Counters)>();
        var batches = new Dictionary<int, (int Line, long[] Counts)>();

        void Skip(int line, string message) => problems.Add(new KbpStatsProblem(line, message, Skipped: true));

        int number = 0;
        for (string? raw = reader.ReadLine(); raw is not null; raw = reader.ReadLine())
        {
            number++;
            string line = raw.TrimEnd();
            if (number == 1)
            {
                if (line == Header)
                {
                    continue;
                }

                if (VersionHeader().Match(line) is { Success: true } version)
                {
                    throw new FormatException($"line 1: '{line}' is format {version.Groups[1].Value}; this reader knows v1");
                }

                problems.Add(new KbpStatsProblem(1, $"expected the header '{Header}'", Skipped: false));
            }

            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("params", StringComparison.Ordinal))
            {
                if (!ParamsLine().IsMatch(line))
                {
                    Skip(number, "malformed params line; expected 'params key=value ...'");
                }
                else if (Fields(line["params".Length..], out Dictionary<string, string> fields) is string duplicate)
                {
                    Skip(number, $"params: {duplicate} given twice");
                }
                else if (!KbpModuleParameters.TryApply(new KbpOptions(), fields, out KbpOptions parsed, out string? error))
                {
                    Skip(number, $"params: {error}");
                }
                else if (paramsLine != 0)
                {
                    Skip(number, $"a second params line (the first is line {paramsLine})");
                }
                else
                {
                    paramsLine = number;
                    parameters = fields;
                    options = parsed;
                }
            }
            else if (line.StartsWith("cpu=", StringComparison.Ordinal))
            {
                if (ParseCpuLine(line, out int cpu, out KbpCounters counters) is string error)
                {
                    Skip(number, error);
                }
                else if (cpus.TryGetValue(cpu, out var first))
                {
                    Skip(number, $"a second cpu={cpu} line (the first is line {first.Line})");
                }
                else
                {
                    cpus.Add(cpu, (number, counters));
                }
            }
            else if (line.StartsWith("batch", StringComparison.Ordinal))
            {
                if (ParseBatchLine(line, out int cpu, out long[] counts) is string error)
                {
                    Skip(number, error);
                }
                else if (batches.TryGetValue(cpu, out var first))
                {
                    Skip(number, $"a second batch cpu={cpu} line (the first is line {first.Line})");
                }
                else
                {
                    batches.Add(cpu, (number, counts));
                }
            }
            else
            {
                Skip(number, "not a params, cpu= or batch line");
            }
        }

        foreach ((int cpu, (int line, long[] counts)) in batches)
        {
            if (!cpus.TryGetValue(cpu, out var owner))
            {
                Skip(line, $"batch cpu={cpu} without a usable cpu={cpu} line");
                continue;
            }

            for (int b = 0; b < counts.Length; b++)
            {
                owner.Counters.Batch.AddToBucket(b, counts[b]);
            }
        }

        foreach ((int cpu, (int line, _)) in cpus)
        {
            if (!batches.ContainsKey(cpu))
            {
                problems.Add(new KbpStatsProblem(line, $"cpu={cpu} has no usable batch cpu={cpu} line: its batch sizes are unknown", Skipped: false));
            }
        }

        List<KbpStatsProblem> reported = problems.OrderBy(p => p.Line).ToList();
        if (cpus.Count == 0)
        {
            int skipped = reported.Count(p => p.Skipped);
            string first = reported.FirstOrDefault(p => p.Skipped) is { } p ? $"; first at line {p.Line}: {p.Message}" : string.Empty;
            throw new FormatException($"no usable KBP statistics: no valid cpu=N line ({number} lines read, {skipped} skipped{first})");
        }

        return new KbpModuleStats(
            parameters,
            options,
            cpus.Select(c => new KbpThreadStats(c.Key, c.Value.Counters)).ToList(),
            reported);
    }
}
