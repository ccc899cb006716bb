using System.Globalization;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim capacity ... --rates R --frame-sizes F --shard K/N [--parts DIR] [--resume DIR]</c>:
/// runs the cells of the grid whose index (<see cref="Capacity.GridCells"/>: frame sizes
/// ascending, then rates ascending) is K modulo N and writes them as <c>DIR/part-K-of-N.jsonl</c>
/// (<see cref="PartCapacity"/>), each finished cell appended to a <c>.partial</c> file first
/// (<see cref="PartFile"/>). <c>--resume DIR</c> keeps this shard's cells that DIR's part and
/// <c>.partial</c> files already hold.
/// </summary>
internal static class CapacityShardRun
{
    public static int Run(
        TextWriter output,
        TextWriter error,
        CapacityPartHeader header,
        CapacitySetup setup,
        Slo slo,
        string? shardText,
        string? partsDir,
        string? resumeDir,
        bool wholeRunOutputs)
    {
        if (!ShardOptions.TryResolve(error, "grid", shardText, partsDir, resumeDir, wholeRunOutputs, "--json and --plot", out Shard shard, out string dir))
        {
            return ExitCodes.BadInput;
        }

        IReadOnlyList<CapacityPoint> cells = Capacity.GridCells(setup, header.FrameSizes, header.RatesBps);
        var done = new SortedDictionary<int, string>();
        if (resumeDir is not null)
        {
            foreach (string text in PartFile.CompleteLines(resumeDir))
            {
                if (PartCapacity.TryParse(text, out CapacityPartLine? line, out _) && line.Header.Difference(header) is null
                    && line.Index >= 0 && line.Index < cells.Count && shard.Contains(line.Index) && cells[line.Index] == line.Trial.Point)
                {
                    done.TryAdd(line.Index, text);
                }
            }
        }

        int resumed = done.Count;
        int[] todo = [.. Enumerable.Range(0, cells.Count).Where(i => shard.Contains(i) && !done.ContainsKey(i))];
        string partPath = Path.Combine(dir, shard.PartFileName);
        ProgressLine progress = ProgressLine.For(error);
        bool written = PartFile.TryWrite(error, partPath, done, append =>
        {
            Capacity.RunCells(
                setup,
                slo,
                cells,
                todo,
                progress: p => progress.Show($"capacity shard {shard}: {ProgressLine.Fraction(p.Done, p.Total)} cells, {progress.Timing(p.Done, p.Total)}", force: p.Done == p.Total),
                cellDone: (index, outcome) => append(index, PartCapacity.Line(header, index, outcome)));
            progress.Clear();
        });
        if (!written)
        {
            return ExitCodes.BadInput;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shard {shard}: {done.Count} of {cells.Count} cell(s), {todo.Length} run, {resumed} resumed; part written to {partPath}"));
        return ExitCodes.Ok;
    }
}
