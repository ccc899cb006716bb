using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Cli.Commands;

/// <summary>The checks every sharded experiment makes on <c>--shard</c>, <c>--parts</c> and <c>--resume</c>.</summary>
internal static class ShardOptions
{
    /// <summary>
    /// Parses the shard and picks the parts directory; on a problem prints one line and
    /// returns false (exit 2). <paramref name="unit"/> names the whole ("sweep", "run") and
    /// <paramref name="wholeOutputs"/> the options that only a whole run writes.
    /// </summary>
    public static bool TryResolve(
        TextWriter error, string unit, string? shardText, string? partsDir, string? resumeDir, bool wholeOutputsGiven, string wholeOutputs, out Shard shard, out string dir)
    {
        shard = default;
        dir = partsDir ?? resumeDir ?? ".";
        if (shardText is null)
        {
            error.WriteLine($"kbp-sim: --resume and --parts go with --shard K/N (use --shard 0/1 for the whole {unit} as one part)");
            return false;
        }

        if (!Shard.TryParse(shardText, out shard, out string? problem))
        {
            error.WriteLine($"kbp-sim: {problem}");
            return false;
        }

        if (wholeOutputsGiven)
        {
            error.WriteLine($"kbp-sim: {wholeOutputs} are for the whole {unit}; with --shard the part goes to --parts DIR, and 'kbp-sim merge' writes them");
            return false;
        }

        foreach (string? d in new[] { dir, resumeDir })
        {
            if (d is not null && !Directory.Exists(d))
            {
                error.WriteLine($"kbp-sim: directory '{d}' does not exist");
                return false;
            }
        }

        return true;
    }
}
