using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Cli.Commands;

/// <summary><c>kbp-sim rfc2544 FILE</c>: the RFC 2544 zero-loss throughput of a scenario per frame size.</summary>
internal static class Rfc2544Command
{
    /// <summary>Smallest frame size accepted (the scenario's traffic.frameSize range).</summary>
    public const int MinFrameBytes = 64;

    /// <summary>Largest frame size accepted (a 9000 B jumbo MTU with header and FCS).</summary>
    public const int MaxFrameBytes = 9018;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "Scenario file (.yaml, .yml or .json)." };
        var frameSizes = new Option<string>("--frame-sizes") { Description = "Frame sizes with FCS, comma-separated, 64..9018 B.", DefaultValueFactory = _ => "64,512,1518" };
        var trial = new Option<string>("--trial") { Description = "Measured duration of each trial (RFC 2544 asks for at least 60s).", DefaultValueFactory = _ => "60s" };
        var resolution = new Option<string>("--resolution") { Description = "Stop the search when (high - low) / high is at most this, in (0%, 50%].", DefaultValueFactory = _ => "0.5%" };
        Option<long> repetitions = Options.Integer("--repetitions", "Independent searches per frame size (default 10).", 10, 1, 1000);
        var set = new Option<string[]>("--set") { Description = "Override a scenario key: --set host.vcpuPolicy=fair (repeatable).", AllowMultipleArgumentsPerToken = false };
        var profile = new Option<string?>("--profile") { Description = "Calibration profile (YAML/JSON); overrides the scenario's 'profile' key." };
        var seed = new Option<string?>("--seed") { Description = "Run seed (shorthand for --set traffic.seed=S)." };
        var json = new Option<string?>("--json") { Description = "Write the results, every trial included, as JSON to this file." };
        var plot = new Option<string?>("--plot") { Description = "Write rfc2544.png/.svg (zero-loss throughput per frame size: mean, min, max over the searches) into this existing directory." };
        var shard = new Option<string?>("--shard") { Description = "Run only the frame sizes whose position in --frame-sizes is K modulo N and write them as a part file for 'kbp-sim merge': --shard K/N (docs/scaling.md)." };
        var partsDir = new Option<string?>("--parts") { Description = "With --shard: the existing directory for part-K-of-N.jsonl (default: --resume's directory, else the current one)." };
        var resume = new Option<string?>("--resume") { Description = "With --shard: skip the frame sizes whose results this directory's part files already hold." };

        var command = new Command("rfc2544", "RFC 2544 throughput: the highest offered rate with zero frame loss, per frame size, by binary search.")
        {
            file, frameSizes, trial, resolution, repetitions, set, profile, seed, json, plot, shard, partsDir, resume,
        };
        command.SetAction(result =>
        {
            if (!TryParseFrameSizes(result.GetValue(frameSizes)!, out IReadOnlyList<int>? sizes, out string? problem)
                || !TryParseTrial(result.GetValue(trial)!, out long trialNs, out problem)
                || !TryParseResolution(result.GetValue(resolution)!, out double resolutionFraction, out problem))
            {
                error.WriteLine($"kbp-sim: {problem}");
                return ExitCodes.BadInput;
            }

            var overrides = new List<string>(result.GetValue(set) ?? []);
            if (result.GetValue(seed) is string seedText)
            {
                overrides.Add($"traffic.seed={seedText}");
            }

            ScenarioSpec scenario;
            IReadOnlyList<VmSpec> specs;
            try
            {
                (scenario, specs) = Rfc2544.Prepare(result.GetValue(file)!, result.GetValue(profile), overrides, sizes, trialNs);
            }
            catch (ScenarioException e)
            {
                error.WriteLine($"kbp-sim: {e.OneLine}");
                return ExitCodes.BadInput;
            }

            string? jsonPath = result.GetValue(json);
            string? plotDir = result.GetValue(plot);
            if (OutputPaths.ProblemWithPlot(plotDir, jsonPath) is string pathProblem)
            {
                error.WriteLine($"kbp-sim: {pathProblem}");
                return ExitCodes.BadInput;
            }

            if (result.GetValue(shard) is not null || result.GetValue(partsDir) is not null || result.GetValue(resume) is not null)
            {
                var header = new Rfc2544PartHeader(PartHeader.ProgramVersion, scenario.Name, scenario.Traffic.Seed, resolutionFraction, trialNs, (int)result.GetValue(repetitions), sizes, overrides);
                return Rfc2544ShardRun.Run(output, error, header, specs, result.GetValue(shard), result.GetValue(partsDir), result.GetValue(resume), jsonPath is not null || plotDir is not null);
            }

            var wall = Stopwatch.StartNew();
            ProgressLine progress = ProgressLine.For(error);
            Rfc2544Result r = Rfc2544.Run(specs, resolutionFraction, (int)result.GetValue(repetitions), scenario.Traffic.Seed, progress: p => progress.Show(
                $"rfc2544: searches {ProgressLine.Fraction(p.SearchesDone, p.Searches)}, {p.Trials} trials, {progress.Timing(p.SearchesDone, p.Searches)}", force: p.SearchesDone == p.Searches));
            progress.Clear();

            Rfc2544Table.Write(output, scenario.Name, r, wall.Elapsed.TotalSeconds);
            try
            {
                if (jsonPath is not null)
                {
                    AtomicFile.Write(jsonPath, w => Rfc2544Json.Write(w, scenario.Name, r));
                }

                if (plotDir is not null)
                {
                    static string Mbps(double bps) => (bps / 1e6).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " Mbps";
                    Plots.PlotFiles.Save(
                        Plots.Charts.PointBars(
                            r.FrameSizes.Select(f => $"{f.FrameBytes} B").ToArray(),
                            [
                                ("min", r.FrameSizes.Select(f => f.MinZeroLossRateBps / 1e6).ToArray()),
                                ("mean", r.FrameSizes.Select(f => f.MeanZeroLossRateBps / 1e6).ToArray()),
                                ("max", r.FrameSizes.Select(f => f.MaxZeroLossRateBps / 1e6).ToArray()),
                            ],
                            $"{scenario.Name}: RFC 2544 zero-loss throughput ({r.Repetitions} searches per size)",
                            "offered L1 rate without loss (Mbps)",
                            logTime: false,
                            v => Mbps(v * 1e6)),
                        plotDir,
                        "rfc2544");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"kbp-sim: cannot write the output: {e.Message}");
                return ExitCodes.BadInput;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Parses <c>64,512,1518</c> (units allowed: <c>64B</c>); each in 64..9018, none twice.</summary>
    public static bool TryParseFrameSizes(string text, [NotNullWhen(true)] out IReadOnlyList<int>? sizes, [NotNullWhen(false)] out string? error)
    {
        sizes = null;
        const string Expected = "a comma-separated list of frame sizes in bytes, such as 64,512,1518";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"--frame-sizes is empty: expected {Expected}";
            return false;
        }

        var list = new List<int>();
        string[] items = text.Split(',');
        for (int i = 0; i < items.Length; i++)
        {
            string size = items[i].Trim();
            if (size.Length == 0)
            {
                error = $"--frame-sizes '{text}': item {i + 1} is empty: expected {Expected}";
                return false;
            }

            if (!Units.TryParseSizeBytes(size, out long bytes, out _))
            {
                error = $"--frame-sizes '{text}': '{size}' is not a frame size: expected {Expected}";
                return false;
            }

            if (bytes < MinFrameBytes || bytes > MaxFrameBytes)
            {
                error = $"--frame-sizes '{text}': {size} is outside {MinFrameBytes}..{MaxFrameBytes} bytes";
                return false;
            }

            if (list.Contains((int)bytes))
            {
                error = $"--frame-sizes '{text}' lists {bytes} B twice";
                return false;
            }

            list.Add((int)bytes);
        }

        sizes = list;
        error = null;
        return true;
    }

    /// <summary>Parses the trial duration: a positive time with a unit.</summary>
    public static bool TryParseTrial(string text, out long trialNs, [NotNullWhen(false)] out string? error)
    {
        if (!Units.TryParseDurationNs(text, out trialNs, out string? why))
        {
            error = $"--trial '{text}' is invalid: {why}";
            return false;
        }

        if (trialNs <= 0)
        {
            error = $"--trial must be a positive time such as 60s, got '{text}'";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Parses the resolution, a percentage in (0%, 50%], into a fraction.</summary>
    public static bool TryParseResolution(string text, out double fraction, [NotNullWhen(false)] out string? error)
    {
        fraction = 0;
        if (!Units.TryParsePercent(text, out double percent, out string? why))
        {
            error = $"--resolution '{text}' is invalid: {why}";
            return false;
        }

        if (!(percent > 0 && percent <= ZeroLossSearch.MaxResolution * 100))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"--resolution must lie in (0%, {ZeroLossSearch.MaxResolution * 100}%], got '{text}'");
            return false;
        }

        fraction = percent / 100;
        error = null;
        return true;
    }
}
