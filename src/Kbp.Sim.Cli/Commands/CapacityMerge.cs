using System.Diagnostics;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Scenarios;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim merge</c> of a sharded capacity grid's parts (<see cref="PartCapacity"/>): every
/// cell exactly once, then the unsharded run's table and JSON. The analytic table is computed
/// again from the scenario file and profile the parts name (no simulation), and must equal the
/// one the shards recorded: a file changed since the shards ran is an error, not a silent mix.
/// </summary>
internal static class CapacityMerge
{
    public static int Run(TextWriter output, TextWriter error, IReadOnlyList<(string Path, int Line, string Text)> texts, string? jsonPath, Stopwatch wall)
    {
        if (!PartCapacity.TryMerge(texts, out CapacityPartHeader? header, out IReadOnlyList<CapacityTrialOutcome>? cells, out string? problem))
        {
            error.WriteLine($"kbp-sim: {problem}");
            return ExitCodes.BadInput;
        }

        CapacitySetup setup;
        try
        {
            setup = CapacitySetup.Prepare(header.File, header.Profile, header.Overrides, header.TrialNs, header.FrameSizes);
        }
        catch (ScenarioException e)
        {
            error.WriteLine($"kbp-sim: merge: the parts' scenario (for the analytic table; merge where the shards ran): {e.OneLine}");
            return ExitCodes.BadInput;
        }

        if (CapacityJson.AnalyticJson(setup.Budget) != header.Analytic)
        {
            error.WriteLine($"kbp-sim: merge: the analytic table of '{header.File}' differs from the parts': the scenario or profile file changed since the shards ran");
            return ExitCodes.BadInput;
        }

        if (!CapacityCommand.TryParseSlo(header.Slo, out Slo? slo, out problem))
        {
            error.WriteLine($"kbp-sim: merge: {problem}");
            return ExitCodes.BadInput;
        }

        CapacityResult r = Capacity.GridOf(setup, slo, header.FrameSizes, header.RatesBps, cells);
        try
        {
            if (jsonPath is not null)
            {
                AtomicFile.Write(jsonPath, w => CapacityJson.Write(w, r));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"kbp-sim: cannot write the output: {e.Message}");
            return ExitCodes.BadInput;
        }

        CapacityTable.Write(output, r, setup.Scenario.Host.ClockHz, wall.Elapsed.TotalSeconds);
        return ExitCodes.Ok;
    }
}
