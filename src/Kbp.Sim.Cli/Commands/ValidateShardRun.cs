using System.Globalization;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim validate ... --shard K/N [--parts DIR] [--resume DIR]</c>: runs the units of the
/// paper suite (<see cref="PaperSuite.UnitIds"/>) whose index is K modulo N, one after another,
/// and writes them as <c>DIR/part-K-of-N.jsonl</c> (<see cref="PartValidation"/>), each finished
/// unit appended to a <c>.partial</c> file first (<see cref="PartFile"/>). The claims are
/// evaluated by <c>kbp-sim merge</c>, so a shard exits 0 whatever they say.
/// </summary>
internal static class ValidateShardRun
{
    public static int Run(
        TextWriter output,
        TextWriter error,
        ValidationPartHeader header,
        IReadOnlyList<SuiteUnit> units,
        string? shardText,
        string? partsDir,
        string? resumeDir,
        bool wholeRunOutputs)
    {
        if (!ShardOptions.TryResolve(error, "suite", shardText, partsDir, resumeDir, wholeRunOutputs, "--json and --plot", out Shard shard, out string dir))
        {
            return ExitCodes.BadInput;
        }

        var done = new SortedDictionary<int, string>();
        if (resumeDir is not null)
        {
            foreach (string text in PartFile.CompleteLines(resumeDir))
            {
                if (PartValidation.TryParse(text, out ValidationPartLine? line, out _) && line.Header.Key == header.Key
                    && line.Index >= 0 && line.Index < units.Count && shard.Contains(line.Index) && units[line.Index].Id == line.Unit.Id)
                {
                    done.TryAdd(line.Index, text);
                }
            }
        }

        int resumed = done.Count;
        SuiteUnit[] todo = [.. units.Where(u => shard.Contains(u.Index) && !done.ContainsKey(u.Index))];
        string partPath = Path.Combine(dir, shard.PartFileName);
        ProgressLine progress = ProgressLine.For(error);
        bool written = PartFile.TryWrite(error, partPath, done, append =>
        {
            foreach (SuiteUnit unit in todo)
            {
                progress.Show($"validate shard {shard}: {unit.Id}, {progress.Elapsed:hh\\:mm\\:ss}", force: true);
                append(unit.Index, PartValidation.Line(header, unit.Index, unit.Run()));
            }

            progress.Clear();
        });
        if (!written)
        {
            return ExitCodes.BadInput;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shard {shard}: {done.Count} of {units.Count} unit(s), {todo.Length} run, {resumed} resumed; part written to {partPath}"));
        return ExitCodes.Ok;
    }
}
