using System.Diagnostics;
using System.Globalization;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim sweep ... --shard K/N [--parts DIR] [--resume DIR]</c>: runs only the points
/// whose index is K modulo N and writes them as a part file (<see cref="PartJson"/>),
/// <c>DIR/part-K-of-N.jsonl</c>, for <c>kbp-sim merge</c>. Each finished point is appended
/// at once to <c>part-K-of-N.jsonl.partial</c>; the part itself appears only when complete
/// (renamed into place), and the <c>.partial</c> file is then removed. <c>--resume DIR</c>
/// keeps the points of this shard that DIR's part and <c>.partial</c> files already hold.
/// </summary>
internal static class SweepShardRun
{
    public static int Run(
        TextWriter output,
        TextWriter error,
        IReadOnlyList<PlannedPoint> points,
        IReadOnlyList<SweepAxis> axes,
        IReadOnlyList<string> overrides,
        string? shardText,
        string? partsDir,
        string? resumeDir,
        bool wholeSweepOutputs)
    {
        if (!ShardOptions.TryResolve(error, "sweep", shardText, partsDir, resumeDir, wholeSweepOutputs, "--json, --csv and --plot", out Shard shard, out string dir))
        {
            return ExitCodes.BadInput;
        }

        string scenarioName = points[0].Scenario.Name;
        ulong[] seeds = points.Select(p => p.Scenario.Traffic.Seed).Distinct().ToArray();
        var header = new PartHeader(PartHeader.ProgramVersion, scenarioName, seeds.Length == 1 ? seeds[0] : null, axes, overrides);

        var done = new SortedDictionary<int, SweepRow>();
        if (resumeDir is not null)
        {
            foreach (string path in Directory.GetFiles(resumeDir, "*.jsonl").Concat(Directory.GetFiles(resumeDir, "*.jsonl.partial")).Order(StringComparer.Ordinal))
            {
                foreach (PartLine line in PartMerge.ReadComplete(path, header))
                {
                    int index = line.Row.Point.Index;
                    if (index >= 0 && index < points.Count && shard.Contains(index) && points[index].Point.Id == line.Row.Point.Id)
                    {
                        done.TryAdd(index, line.Row);
                    }
                }
            }
        }

        var todo = points.Where(p => shard.Contains(p.Point.Index) && !done.ContainsKey(p.Point.Index)).ToList();
        int resumed = done.Count;
        string partPath = Path.Combine(dir, shard.PartFileName);
        string partialPath = partPath + ".partial";
        var wall = Stopwatch.StartNew();
        try
        {
            using (var partial = new StreamWriter(partialPath, append: false, new System.Text.UTF8Encoding(false)))
            {
                foreach (SweepRow row in done.Values)
                {
                    partial.Write(PartJson.Line(header, row) + "\n");
                }

                partial.Flush();
                ProgressLine progress = ProgressLine.For(error);
                Sweep.Run(
                    todo,
                    progress: p => progress.Show(
                        $"sweep shard {shard}: runs {ProgressLine.Fraction(p.RunsDone, p.Runs)}, points {p.PointsDone}/{p.Points}, {progress.Timing(p.RunsDone, p.Runs)}", force: p.RunsDone == p.Runs),
                    pointDone: row =>
                    {
                        // One write per complete line, flushed, so a stopped task leaves whole lines.
                        partial.Write(PartJson.Line(header, row) + "\n");
                        partial.Flush();
                        done.Add(row.Point.Index, row);
                    });
                progress.Clear();
            }

            AtomicFile.Write(partPath, w =>
            {
                foreach (SweepRow row in done.Values)
                {
                    w.Write(PartJson.Line(header, row) + "\n");
                }
            });
            File.Delete(partialPath);
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            Exception first = e is AggregateException a ? a.Flatten().InnerExceptions[0] : e;
            error.WriteLine($"kbp-sim: cannot write the part: {first.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.BadInput;
        }

        SweepTable.Write(output, scenarioName, axes, done.Values.ToList(), wall.Elapsed.TotalSeconds);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shard {shard}: {done.Count} of {points.Count} point(s), {todo.Count} run, {resumed} resumed; part written to {partPath}"));
        return ExitCodes.Ok;
    }

    /// <summary>A failed write, also when it happened on a worker thread of the sweep (appending a finished point).</summary>
    private static bool IsWriteFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException
        || (e is AggregateException a && a.Flatten().InnerExceptions.All(i => i is IOException or UnauthorizedAccessException));
}
