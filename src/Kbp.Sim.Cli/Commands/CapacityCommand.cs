using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Cli.Plots;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Scenarios;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim capacity FILE --slo S</c>: capacity planning under a service-level objective.
/// With a rate axis only (<c>--rate</c>/<c>--rates</c>), the smallest frame size that meets
/// the objective at each rate; with a frame-size axis only (<c>--frame-bytes</c>/<c>--frame-sizes</c>),
/// the highest rate at each size; with both, the pass/fail map of the grid. Each beside the
/// analytic estimate of the stage costs (<c>docs/capacity.md</c>).
/// </summary>
internal static class CapacityCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "Scenario file (.yaml, .yml or .json)." };
        var slo = new Option<string>("--slo") { Description = "The objective a trial must meet: max<250us, p99.9<1ms, loss=0, or several joined with ',' (all must hold). A lost frame counts as infinitely late.", Required = true };
        var rate = new Option<string?>("--rate") { Description = "Find the smallest frame size that meets the objective at this rate (counted at the scenario's traffic.rateLayer)." };
        var rates = new Option<string?>("--rates") { Description = "Rates, comma-separated: the frame-size limit at each, or with --frame-sizes the rows of a grid." };
        var frameBytes = new Option<string?>("--frame-bytes") { Description = "Find the highest rate that meets the objective at this frame size (64..9018 B)." };
        var frameSizes = new Option<string?>("--frame-sizes") { Description = "Frame sizes, comma-separated: the highest rate at each, or with --rates the columns of a grid." };
        var trial = new Option<string>("--trial") { Description = "Measured duration of each trial (a short trial sees fewer rare events: its maximum is optimistic).", DefaultValueFactory = _ => "1s" };
        var step = new Option<string>("--step") { Description = "Frame-size search step (the frame sizes tried are 64, 64 + step, ..., 1518).", DefaultValueFactory = _ => "4B" };
        var resolution = new Option<string>("--resolution") { Description = "Rate search step: each rate tried is this much below the next, in (0%, 50%].", DefaultValueFactory = _ => "0.5%" };
        var set = new Option<string[]>("--set") { Description = "Override a scenario key: --set host.clock=1.7GHz (repeatable).", AllowMultipleArgumentsPerToken = false };
        var profile = new Option<string?>("--profile") { Description = "Calibration profile (YAML/JSON); overrides the scenario's 'profile' key." };
        var seed = new Option<string?>("--seed") { Description = "Run seed (shorthand for --set traffic.seed=S); a trial's seed derives from it and the trial's frame size and rate." };
        var json = new Option<string?>("--json") { Description = "Write the analytic table, the answers and every trial as JSON to this file." };
        var plot = new Option<string?>("--plot") { Description = "Write capacity.png/.svg (the grid's pass/fail map, or the answers against the analytic curve) into this existing directory." };
        var shard = new Option<string?>("--shard") { Description = "For a grid: run only the cells whose index (frame sizes ascending, then rates ascending) is K modulo N and write them as a part file for 'kbp-sim merge': --shard K/N (docs/scaling.md)." };
        var partsDir = new Option<string?>("--parts") { Description = "With --shard: the existing directory for part-K-of-N.jsonl (default: --resume's directory, else the current one)." };
        var resume = new Option<string?>("--resume") { Description = "With --shard: skip the cells whose results this directory's part files already hold." };

        var command = new Command("capacity", "Capacity planning: frame-size limits, highest rates or a pass/fail map under a latency or loss objective, beside the analytic estimate.")
        {
            file, slo, rate, rates, frameBytes, frameSizes, trial, step, resolution, set, profile, seed, json, plot, shard, partsDir, resume,
        };
        command.SetAction(result =>
        {
            if (!TryParseSlo(result.GetValue(slo)!, out Slo? objective, out string? problem)
                || !TryParseAxes(result.GetValue(rate), result.GetValue(rates), result.GetValue(frameBytes), result.GetValue(frameSizes), out IReadOnlyList<long>? rateAxis, out IReadOnlyList<int>? sizeAxis, out problem)
                || !Rfc2544Command.TryParseTrial(result.GetValue(trial)!, out long trialNs, out problem)
                || !TryParseStep(result.GetValue(step)!, out int stepBytes, out problem)
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

            CapacitySetup setup;
            try
            {
                setup = CapacitySetup.Prepare(result.GetValue(file)!, result.GetValue(profile), overrides, trialNs, sizeAxis ?? []);
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
                if (rateAxis is null || sizeAxis is null)
                {
                    error.WriteLine("kbp-sim: --shard splits a grid (--rates and --frame-sizes); a frame-size or rate search is one unit of work");
                    return ExitCodes.BadInput;
                }

                var header = new CapacityPartHeader(
                    PartHeader.ProgramVersion,
                    setup.Scenario.Name,
                    result.GetValue(file)!,
                    result.GetValue(profile),
                    overrides,
                    result.GetValue(slo)!,
                    trialNs,
                    [.. sizeAxis.Order()],
                    [.. rateAxis.Order()],
                    CapacityJson.AnalyticJson(setup.Budget));
                return CapacityShardRun.Run(output, error, header, setup, objective, result.GetValue(shard), result.GetValue(partsDir), result.GetValue(resume), jsonPath is not null || plotDir is not null);
            }

            var wall = Stopwatch.StartNew();
            ProgressLine progress = ProgressLine.For(error);
            void Show(CapacityProgress p) => progress.Show(
                $"capacity: {ProgressLine.Fraction(p.Done, p.Total)} done, {p.Trials} trials, {progress.Timing(p.Done, p.Total)}", force: p.Done == p.Total);
            CapacityResult r = (rateAxis, sizeAxis) switch
            {
                ({ } rs, { } ss) => Capacity.Grid(setup, objective, ss, rs, progress: Show),
                ({ } rs, null) => Capacity.FrameSizeLimits(setup, objective, rs, stepBytes, progress: Show),
                _ => Capacity.MaxRates(setup, objective, sizeAxis!, resolutionFraction, progress: Show),
            };
            progress.Clear();

            CapacityTable.Write(output, r, setup.Scenario.Host.ClockHz, wall.Elapsed.TotalSeconds);
            try
            {
                if (jsonPath is not null)
                {
                    AtomicFile.Write(jsonPath, w => CapacityJson.Write(w, r));
                }

                if (plotDir is not null)
                {
                    PlotFiles.Save(CapacityChart.For(r), plotDir, "capacity");
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

    /// <summary>Parses the objective; the problem names the option.</summary>
    public static bool TryParseSlo(string text, [NotNullWhen(true)] out Slo? slo, [NotNullWhen(false)] out string? error)
    {
        if (Slo.TryParse(text, out slo, out string? why))
        {
            error = null;
            return true;
        }

        error = $"--slo {why}";
        return false;
    }

    /// <summary>
    /// The two axes: rates (from <c>--rate</c> or <c>--rates</c>) and frame sizes (from
    /// <c>--frame-bytes</c> or <c>--frame-sizes</c>); at least one, each given once.
    /// </summary>
    public static bool TryParseAxes(
        string? rate,
        string? rates,
        string? frameBytes,
        string? frameSizes,
        out IReadOnlyList<long>? rateAxis,
        out IReadOnlyList<int>? sizeAxis,
        [NotNullWhen(false)] out string? error)
    {
        rateAxis = null;
        sizeAxis = null;
        if (rate is not null && rates is not null)
        {
            error = "give --rate or --rates, not both";
            return false;
        }

        if (frameBytes is not null && frameSizes is not null)
        {
            error = "give --frame-bytes or --frame-sizes, not both";
            return false;
        }

        if (rate is null && rates is null && frameBytes is null && frameSizes is null)
        {
            error = "nothing to find: give --rate R (the smallest frame size), --frame-bytes B (the highest rate), or --rates and --frame-sizes (a grid)";
            return false;
        }

        if ((rate ?? rates) is string rateText && !TryParseRates(rate is null ? "--rates" : "--rate", rateText, single: rate is not null, out rateAxis, out error))
        {
            return false;
        }

        if (frameBytes is not null)
        {
            if (!Units.TryParseSizeBytes(frameBytes, out long bytes, out string? why) || bytes < Rfc2544Command.MinFrameBytes || bytes > Rfc2544Command.MaxFrameBytes)
            {
                error = $"--frame-bytes '{frameBytes}' is not a frame size in {Rfc2544Command.MinFrameBytes}..{Rfc2544Command.MaxFrameBytes} B{(why is null ? string.Empty : ": " + why)}";
                return false;
            }

            sizeAxis = [(int)bytes];
        }
        else if (frameSizes is not null)
        {
            if (!Rfc2544Command.TryParseFrameSizes(frameSizes, out sizeAxis, out error))
            {
                return false;
            }
        }

        error = null;
        return true;
    }

    /// <summary>Parses one rate or a comma-separated list: whole, positive bit/s, none twice.</summary>
    public static bool TryParseRates(string option, string text, bool single, [NotNullWhen(true)] out IReadOnlyList<long>? rates, [NotNullWhen(false)] out string? error)
    {
        rates = null;
        string expected = single ? "a rate such as 1Gbps" : "a comma-separated list of rates such as 100Mbps,500Mbps,1Gbps";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"{option} is empty: expected {expected}";
            return false;
        }

        string[] items = single ? [text] : text.Split(',');
        var list = new List<long>();
        for (int i = 0; i < items.Length; i++)
        {
            string item = items[i].Trim();
            if (item.Length == 0)
            {
                error = $"{option} '{text}': item {i + 1} is empty: expected {expected}";
                return false;
            }

            if (!Units.TryParseRateBps(item, out double bps, out string? why))
            {
                error = $"{option} '{text}': '{item}' is not a rate: {why}";
                return false;
            }

            if (!(bps >= 1) || bps > Ethernet.MaxRateBps || bps != Math.Floor(bps))
            {
                error = $"{option} '{text}': {item} must be a whole number of bit/s from 1bps to 400Gbps";
                return false;
            }

            if (list.Contains((long)bps))
            {
                error = $"{option} '{text}' lists {item} twice";
                return false;
            }

            list.Add((long)bps);
        }

        rates = list;
        error = null;
        return true;
    }

    /// <summary>Parses the frame-size search step: whole bytes from 1 to 1454.</summary>
    public static bool TryParseStep(string text, out int stepBytes, [NotNullWhen(false)] out string? error)
    {
        stepBytes = 0;
        const int Max = Capacity.MaxSearchFrameBytes - Ethernet.MinFrameBytes;
        if (!Units.TryParseSizeBytes(text, out long bytes, out string? why) || bytes < 1 || bytes > Max)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"--step '{text}' is not a frame-size step from 1 to {Max} B{(why is null ? string.Empty : ": " + why)}");
            return false;
        }

        stepBytes = (int)bytes;
        error = null;
        return true;
    }

    /// <summary>Parses the rate search's resolution, as <c>rfc2544 --resolution</c>.</summary>
    public static bool TryParseResolution(string text, out double fraction, [NotNullWhen(false)] out string? error) =>
        Rfc2544Command.TryParseResolution(text, out fraction, out error);
}
