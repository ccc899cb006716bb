using System.Diagnostics;
using System.Globalization;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim rfc2544 ... --shard K/N [--parts DIR] [--resume DIR]</c>: runs the frame sizes
/// whose position in <c>--frame-sizes</c> is K modulo N (each with all its searches and its
/// loss-point trial, the searches in parallel) and writes them as <c>DIR/part-K-of-N.jsonl</c>
/// (<see cref="PartRfc2544"/>), appending each finished frame size to a <c>.partial</c> file
/// first, as the sweep's shards do (<see cref="SweepShardRun"/>).
/// </summary>
internal static class Rfc2544ShardRun
{
    public static int Run(
        TextWriter output,
        TextWriter error,
        Rfc2544PartHeader header,
        IReadOnlyList<VmSpec> specs,
        string? shardText,
        string? partsDir,
        string? resumeDir,
        bool wholeRunOutputs)
    {
        if (!ShardOptions.TryResolve(error, "run", shardText, partsDir, resumeDir, wholeRunOutputs, "--json and --plot", out Shard shard, out string dir))
        {
            return ExitCodes.BadInput;
        }

        var done = new SortedDictionary<int, ThroughputAtFrameSize>();
        if (resumeDir is not null)
        {
            foreach (string path in Directory.GetFiles(resumeDir, "*.jsonl").Concat(Directory.GetFiles(resumeDir, "*.jsonl.partial")).Order(StringComparer.Ordinal))
            {
                string[] texts = File.ReadAllText(path).Split('\n');
                for (int i = 0; i < texts.Length - 1; i++)
                {
                    if (PartRfc2544.TryParse(texts[i], out var line, out _) && line.Value.Header.Key == header.Key
                        && line.Value.Index >= 0 && line.Value.Index < specs.Count && shard.Contains(line.Value.Index)
                        && header.FrameSizes[line.Value.Index] == line.Value.Size.FrameBytes)
                    {
                        done.TryAdd(line.Value.Index, line.Value.Size);
                    }
                }
            }
        }

        int resumed = done.Count;
        int[] todo = Enumerable.Range(0, specs.Count).Where(i => shard.Contains(i) && !done.ContainsKey(i)).ToArray();
        string partPath = Path.Combine(dir, shard.PartFileName);
        string partialPath = partPath + ".partial";
        var wall = Stopwatch.StartNew();
        try
        {
            using (var partial = new StreamWriter(partialPath, append: false, new System.Text.UTF8Encoding(false)))
            {
                foreach ((int index, ThroughputAtFrameSize size) in done)
                {
                    partial.Write(PartRfc2544.Line(header, index, size) + "\n");
                }

                partial.Flush();
                ProgressLine progress = ProgressLine.For(error);
                foreach (int index in todo)
                {
                    // One frame size at a time, its searches in parallel, so that each finished
                    // frame size is kept at once.
                    Rfc2544Result one = Rfc2544.Run([specs[index]], header.Resolution, header.Repetitions, header.Seed, progress: p => progress.Show(
                        $"rfc2544 shard {shard}: {header.FrameSizes[index]}B searches {ProgressLine.Fraction(p.SearchesDone, p.Searches)}, {p.Trials} trials", force: p.SearchesDone == p.Searches));
                    done.Add(index, one.FrameSizes[0]);
                    partial.Write(PartRfc2544.Line(header, index, one.FrameSizes[0]) + "\n");
                    partial.Flush();
                }

                progress.Clear();
            }

            AtomicFile.Write(partPath, w =>
            {
                foreach ((int index, ThroughputAtFrameSize size) in done)
                {
                    w.Write(PartRfc2544.Line(header, index, size) + "\n");
                }
            });
            File.Delete(partialPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"kbp-sim: cannot write the part: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.BadInput;
        }

        if (done.Count > 0)
        {
            Rfc2544Table.Write(output, header.Scenario, new Rfc2544Result(header.Seed, header.Resolution, header.TrialNs, header.Repetitions, done.Values.ToList()), wall.Elapsed.TotalSeconds);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shard {shard}: {done.Count} of {specs.Count} frame size(s), {todo.Length} run, {resumed} resumed; part written to {partPath}"));
        return ExitCodes.Ok;
    }
}
