using System.CommandLine;
using System.Diagnostics;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim merge PARTS... [--json OUT] [--csv OUT]</c>: combines the part files of a
/// sharded sweep into exactly the output of the unsharded run, with the same writers.
/// Missing, duplicate or mismatched points are one line naming them, exit 2, no output file.
/// </summary>
internal static class MergeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var parts = new Argument<string[]>("PARTS") { Description = "Part files of 'kbp-sim sweep --shard K/N' (part-K-of-N.jsonl), in any order.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<string?>("--json") { Description = "Write the merged points as JSON to this file (as 'sweep --json' does)." };
        var csv = new Option<string?>("--csv") { Description = "Write one CSV row per point to this file (as 'sweep --csv' does)." };
        var merge = new Command("merge", "Combine the parts of a sharded sweep into the unsharded sweep's table, JSON and CSV.")
        {
            parts, json, csv,
        };
        merge.SetAction(result =>
        {
            string? jsonPath = result.GetValue(json);
            string? csvPath = result.GetValue(csv);
            if (OutputPaths.Problem(jsonPath, csvPath) is string pathProblem)
            {
                error.WriteLine($"kbp-sim: {pathProblem}");
                return ExitCodes.BadInput;
            }

            var wall = Stopwatch.StartNew();
            if (!PartMerge.TryMerge(result.GetValue(parts) ?? [], out PartHeader? header, out IReadOnlyList<SweepRow>? rows, out string? problem))
            {
                error.WriteLine($"kbp-sim: {problem}");
                return ExitCodes.BadInput;
            }

            try
            {
                if (jsonPath is not null)
                {
                    AtomicFile.Write(jsonPath, w => SweepJson.Write(w, header.Scenario, header.RunSeed, header.Vary, rows));
                }

                if (csvPath is not null)
                {
                    AtomicFile.Write(csvPath, w => SweepCsv.Write(w, header.Vary, rows));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"kbp-sim: cannot write the output: {e.Message}");
                return ExitCodes.BadInput;
            }

            SweepTable.Write(output, header.Scenario, header.Vary, rows, wall.Elapsed.TotalSeconds);
            return ExitCodes.Ok;
        });
        return merge;
    }
}
