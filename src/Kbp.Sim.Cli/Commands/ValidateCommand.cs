using System.CommandLine;
using System.Diagnostics;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Scenarios;

namespace Kbp.Sim.Cli.Commands;

/// <summary><c>kbp-sim validate</c>: runs the VM paper suite and checks every claim against its band.</summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var quick = new Option<bool>("--quick") { Description = "Short runs for CI (3 s x 2 latency repetitions, 1 s trials); claims about rare events are not evaluated." };
        var json = new Option<string?>("--json") { Description = "Write every claim and its result as JSON to this file." };
        var seed = new Option<string?>("--seed") { Description = "Run seed [1]." };
        var plot = new Option<string?>("--plot") { Description = "Write paper.png/.svg (simulated / paper for every claim with a ratio) into this existing directory." };
        var scenarios = new Option<string?>("--scenarios") { Description = "Directory of the paper scenarios [scenarios/paper of the repository, found from the working directory]." };
        var suite = new Option<string>("--suite") { Description = "vm (the claims), containers (the predictions) or all.", DefaultValueFactory = _ => "all" };
        var shard = new Option<string?>("--shard") { Description = "Run only the suite's units (latency runs, RFC 2544 frame sizes, the frame-size limit) whose index is K modulo N and write them as a part file for 'kbp-sim merge': --shard K/N (docs/scaling.md)." };
        var partsDir = new Option<string?>("--parts") { Description = "With --shard: the existing directory for part-K-of-N.jsonl (default: --resume's directory, else the current one)." };
        var resume = new Option<string?>("--resume") { Description = "With --shard: skip the units whose results this directory's part files already hold." };

        var command = new Command("validate", "Run the VM paper suite (Fig. 8, Fig. 9, Table 2) and print each claim: paper, simulated, band, PASS/FAIL. Exit 1 if a band fails.")
        {
            quick, json, seed, scenarios, plot, suite, shard, partsDir, resume,
        };
        command.SetAction(result =>
        {
            ulong runSeed = 1;
            if (result.GetValue(seed) is string seedText && !ulong.TryParse(seedText, out runSeed))
            {
                error.WriteLine($"kbp-sim: --seed must be a non-negative integer, got '{seedText}'");
                return ExitCodes.BadInput;
            }

            string which = result.GetValue(suite)!;
            if (which is not ("vm" or "containers" or "all"))
            {
                error.WriteLine($"kbp-sim: --suite must be vm, containers or all, got '{which}'");
                return ExitCodes.BadInput;
            }

            string? directory = result.GetValue(scenarios) ?? FindPaperDirectory();
            if (directory is null || !Directory.Exists(directory))
            {
                error.WriteLine(directory is null
                    ? "kbp-sim: cannot find scenarios/paper from the working directory; run from the repository or give --scenarios DIR"
                    : $"kbp-sim: --scenarios: directory '{directory}' does not exist");
                return ExitCodes.BadInput;
            }

            string? jsonPath = result.GetValue(json);
            string? plotDir = result.GetValue(plot);
            if (OutputPaths.ProblemWithPlot(plotDir, jsonPath) is string pathProblem)
            {
                error.WriteLine($"kbp-sim: {pathProblem}");
                return ExitCodes.BadInput;
            }

            SuiteSettings settings = result.GetValue(quick) ? SuiteSettings.QuickRun : SuiteSettings.Full;
            var header = new ValidationPartHeader(PartHeader.ProgramVersion, runSeed, settings, which);
            IReadOnlyList<SuiteUnit> units;
            try
            {
                units = PaperSuite.Units(directory, settings, runSeed, header.Vm, header.Containers);
            }
            catch (ScenarioException e)
            {
                error.WriteLine($"kbp-sim: {e.OneLine}");
                return ExitCodes.BadInput;
            }

            if (result.GetValue(shard) is not null || result.GetValue(partsDir) is not null || result.GetValue(resume) is not null)
            {
                return ValidateShardRun.Run(output, error, header, units, result.GetValue(shard), result.GetValue(partsDir), result.GetValue(resume), jsonPath is not null || plotDir is not null);
            }

            var wall = Stopwatch.StartNew();
            ProgressLine progress = ProgressLine.For(error);
            var results = new Dictionary<string, SuiteUnitResult>();
            foreach (SuiteUnit unit in units)
            {
                progress.Show($"validate: {unit.Id}, {progress.Elapsed:hh\\:mm\\:ss}", force: true);
                results.Add(unit.Id, unit.Run());
            }

            progress.Clear();
            return Report(output, error, header, results, jsonPath, plotDir, wall);
        });
        return command;
    }

    /// <summary>
    /// Evaluates the claims on the units' results and writes the table, the JSON and the plot:
    /// the end of a whole run and of <c>kbp-sim merge</c> of its parts. Exit 1 if a band fails.
    /// </summary>
    public static int Report(TextWriter output, TextWriter error, ValidationPartHeader header, IReadOnlyDictionary<string, SuiteUnitResult> results, string? jsonPath, string? plotDir, Stopwatch wall)
    {
        SuiteSettings settings = header.Settings;
        PredictionResults? predictions = header.Containers ? PaperSuite.Predictions(settings, header.Seed, results) : null;
        IReadOnlyList<ClaimResult> claims = header.Vm ? PaperClaims.Evaluate(PaperSuite.Results(settings, header.Seed, results), settings) : [];
        ValidationTable.Write(output, settings, header.Seed, claims, predictions, wall.Elapsed.TotalSeconds);
        if (jsonPath is not null)
        {
            try
            {
                AtomicFile.Write(jsonPath, w => ValidationJson.Write(w, settings, header.Seed, claims, predictions));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"kbp-sim: cannot write the output: {e.Message}");
                return ExitCodes.BadInput;
            }
        }

        if (plotDir is not null)
        {
            var ratios = claims.Where(c => c.Measure.Ratio is not null && c.Status != ClaimStatus.NeedsFullRun)
                .Select(c => ($"{c.Claim.Source}: {c.Claim.Text} [{c.Claim.Band}]", c.Measure.Ratio!.Value, c.Status == ClaimStatus.Pass))
                .ToList();
            Plots.PlotFiles.Save(Plots.Charts.PaperRatios(ratios, "simulated against the paper, each claim with its band"), plotDir, "paper", 1400, 120 + (26 * Math.Max(4, ratios.Count)));
        }

        return claims.Any(c => c.Status == ClaimStatus.Fail) ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }

    /// <summary>scenarios/paper in the working directory or one of its parents.</summary>
    private static string? FindPaperDirectory()
    {
        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "scenarios", "paper");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
