using System.CommandLine;
using System.Diagnostics;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim merge PARTS... [--json OUT] [--csv OUT]</c>: combines the part files of a
/// sharded sweep, rfc2544 run, capacity grid or validation into exactly the output of the
/// unsharded run, with the same writers; the parts' <c>kind</c> says which.
/// Missing, duplicate or mismatched points are one line naming them, exit 2, no output file.
/// </summary>
internal static class MergeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var parts = new Argument<string[]>("PARTS") { Description = "Part files of 'kbp-sim sweep|rfc2544|capacity|validate --shard K/N' (part-K-of-N.jsonl), in any order.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<string?>("--json") { Description = "Write the merged points as JSON to this file (as 'sweep --json' does)." };
        var csv = new Option<string?>("--csv") { Description = "Write one CSV row per point to this file (as 'sweep --csv' does)." };
        var merge = new Command("merge", "Combine the parts of a sharded sweep, rfc2544, capacity grid or validate run into the unsharded run's table, JSON (and CSV for a sweep).")
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
            string[] partPaths = result.GetValue(parts) ?? [];
            string? kind = PartMerge.KindOf(partPaths);
            if (kind is "rfc2544" or PartCapacity.Kind or PartValidation.Kind)
            {
                if (csvPath is not null)
                {
                    error.WriteLine($"kbp-sim: merge: {kind} has no CSV output; give --json");
                    return ExitCodes.BadInput;
                }

                if (!PartFile.TryReadLines(partPaths, out var texts, out string? unreadable))
                {
                    error.WriteLine($"kbp-sim: {unreadable}");
                    return ExitCodes.BadInput;
                }

                return kind switch
                {
                    PartCapacity.Kind => CapacityMerge.Run(output, error, texts, jsonPath, wall),
                    PartValidation.Kind => MergeValidation(output, error, texts, jsonPath, wall),
                    _ => MergeRfc2544(output, error, texts, jsonPath, wall),
                };
            }

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

    /// <summary>The validation's parts: the claims evaluated on every unit's result, exit 1 if a band fails, as <c>validate</c> itself.</summary>
    private static int MergeValidation(TextWriter output, TextWriter error, List<(string, int, string)> texts, string? jsonPath, Stopwatch wall)
    {
        if (!PartValidation.TryMerge(texts, out ValidationPartHeader? header, out IReadOnlyDictionary<string, SuiteUnitResult>? units, out string? problem))
        {
            error.WriteLine($"kbp-sim: {problem}");
            return ExitCodes.BadInput;
        }

        return ValidateCommand.Report(output, error, header, units, jsonPath, null, wall);
    }

    private static int MergeRfc2544(TextWriter output, TextWriter error, List<(string, int, string)> texts, string? jsonPath, Stopwatch wall)
    {
        if (!PartRfc2544.TryMerge(texts, out Rfc2544PartHeader? header, out Rfc2544Result? merged, out string? problem))
        {
            error.WriteLine($"kbp-sim: {problem}");
            return ExitCodes.BadInput;
        }

        try
        {
            if (jsonPath is not null)
            {
                AtomicFile.Write(jsonPath, w => Rfc2544Json.Write(w, header.Scenario, merged));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"kbp-sim: cannot write the output: {e.Message}");
            return ExitCodes.BadInput;
        }

        Rfc2544Table.Write(output, header.Scenario, merged, wall.Elapsed.TotalSeconds);
        return ExitCodes.Ok;
    }
}
