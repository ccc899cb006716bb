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

        var command = new Command("validate", "Run the VM paper suite (Fig. 8, Fig. 9, Table 2) and print each claim: paper, simulated, band, PASS/FAIL. Exit 1 if a band fails.")
        {
            quick, json, seed, scenarios, plot, suite,
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
            if (OutputPaths.Problem(jsonPath) is string pathProblem)
            {
                error.WriteLine($"kbp-sim: {pathProblem}");
                return ExitCodes.BadInput;
            }

            string? plotDir = result.GetValue(plot);
            if (plotDir is not null && !Directory.Exists(plotDir))
            {
                error.WriteLine($"kbp-sim: --plot: directory '{plotDir}' does not exist");
                return ExitCodes.BadInput;
            }

            SuiteSettings settings = result.GetValue(quick) ? SuiteSettings.QuickRun : SuiteSettings.Full;
            var wall = Stopwatch.StartNew();
            ProgressLine progress = ProgressLine.For(error);
            SuiteResults? results = null;
            PredictionResults? predictions = null;
            void Show(string part) => progress.Show($"validate: {part}, {progress.Elapsed:hh\\:mm\\:ss}", force: true);
            try
            {
                if (which != "containers")
                {
                    results = PaperSuite.Run(directory, settings, runSeed, Show);
                }

                if (which != "vm")
                {
                    predictions = PaperSuite.RunPredictions(directory, settings, runSeed, Show);
                }
            }
            catch (ScenarioException e)
            {
                progress.Clear();
                error.WriteLine($"kbp-sim: {e.OneLine}");
                return ExitCodes.BadInput;
            }

            progress.Clear();
            IReadOnlyList<ClaimResult> claims = results is null ? [] : PaperClaims.Evaluate(results, settings);
            ValidationTable.Write(output, settings, runSeed, claims, predictions, wall.Elapsed.TotalSeconds);
            if (jsonPath is not null)
            {
                try
                {
                    AtomicFile.Write(jsonPath, w => ValidationJson.Write(w, settings, runSeed, claims, predictions));
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
        });
        return command;
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
