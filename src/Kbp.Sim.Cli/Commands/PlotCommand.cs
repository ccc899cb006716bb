using System.CommandLine;
using Kbp.Sim.Cli.Plots;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Cli.Commands;

/// <summary><c>kbp-sim plot FILE --out DIR</c>: the scenario under each datapath, and its plots as PNG and SVG.</summary>
internal static class PlotCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var scenario = new ScenarioOptions();
        var outDir = new Option<string>("--out") { Description = "Directory for the plots (ccdf, stages, intervals, timeline; .png and .svg).", Required = true };
        var compare = new Option<string[]>("--compare") { Description = "Another scenario file to run with the same options and draw beside FILE in the CCDF and stage plots (repeatable), e.g. the KBP twin of a NAPI scenario.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("plot", "Run a scenario (and --compare files) and plot: RTT CCDF, delay per stage, packet intervals at txg2/txh0, a CPU timeline around FILE's slowest frame.");
        scenario.AddTo(command);
        command.Options.Add(outDir);
        command.Options.Add(compare);
        command.SetAction(result =>
        {
            string dir = result.GetValue(outDir)!;
            if (!Directory.Exists(dir))
            {
                error.WriteLine($"kbp-sim: --out: directory '{dir}' does not exist");
                return ExitCodes.BadInput;
            }

            var runs = new List<PlotRun>();
            string? name = null;
            foreach (string path in (result.GetValue(compare) ?? []).Prepend(result.GetValue(scenario.File)!))
            {
                ScenarioSpec? spec = scenario.Load(result, error, path);
                if (spec is null)
                {
                    return ExitCodes.BadInput;
                }

                name ??= spec.Name;
                runs.Add(new PlotRun(spec.Name, VmScenario.ToVmSpec(spec), spec.Traffic.Seed, spec.Traffic.Repetitions));
            }

            try
            {
                (_, IReadOnlyList<string> files) = PlotSet.RunAndPlot(runs, name!, dir);
                foreach (string f in files)
                {
                    output.WriteLine($"wrote {f} (and .svg)");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"kbp-sim: cannot write the plots: {e.Message}");
                return ExitCodes.BadInput;
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
