using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Cli;
using Kbp.Sim.Tests.Contract;

namespace Kbp.Sim.Tests.Cli;

/// <summary>The acceptance property on the simulator itself: real sweeps, capacity grids and validations, any N, any order of parts.</summary>
public class ShardMergeSimulationProperties
{
    private static readonly string Scenario = RepositoryFiles.PaperScenario("vm-napi-80mbps-64b.yaml");

    private static readonly string[] Rates = ["20Mbps", "40Mbps", "80Mbps"];

    private static readonly string[] Sizes = ["64B", "512B", "1518B"];

    private static int Run(params string[] args) => KbpSimCommand.Run(args, new StringWriter(), new StringWriter());

    [Property(MaxTest = 8)]
    public Property Merged_shards_of_a_random_sweep_are_the_unsharded_files_for_any_N_and_any_order_of_parts()
    {
        Gen<(int Rates, int Sizes, int Shards, int Order)> cases =
            from rates in Gen.Choose(1, 7)
            from sizes in Gen.Choose(1, 7)
            from shards in Gen.Choose(1, 8)
            from order in Gen.Choose(0, 1000)
            select (rates, sizes, shards, order);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            // A random non-empty subset of each axis (bit i of the mask picks value i).
            string rates = string.Join(",", Rates.Where((_, i) => (c.Rates & (1 << i)) != 0));
            string sizes = string.Join(",", Sizes.Where((_, i) => (c.Sizes & (1 << i)) != 0));
            string[] sweep = ["sweep", Scenario, "--vary", $"traffic.frameSize={sizes}", "--vary", $"traffic.rate={rates}", "--duration", "10ms", "--repetitions", "1", "--set", "traffic.warmup=1ms", "--seed", "3"];
            string dir = Directory.CreateTempSubdirectory("kbp-shard-sim-").FullName;
            try
            {
                Assert.Equal(0, Run([.. sweep, "--json", Path.Combine(dir, "whole.json"), "--csv", Path.Combine(dir, "whole.csv")]));
                var parts = new List<string>();
                for (int k = 0; k < c.Shards; k++)
                {
                    Assert.Equal(0, Run([.. sweep, "--shard", $"{k}/{c.Shards}", "--parts", dir]));
                    parts.Add(Path.Combine(dir, $"part-{k}-of-{c.Shards}.jsonl"));
                }

                var shuffle = new Random(c.Order);
                string[] given = parts.OrderBy(_ => shuffle.Next()).ToArray();
                Assert.Equal(0, Run(["merge", .. given, "--json", Path.Combine(dir, "merged.json"), "--csv", Path.Combine(dir, "merged.csv")]));
                return File.ReadAllBytes(Path.Combine(dir, "whole.json")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir, "merged.json")))
                    && File.ReadAllBytes(Path.Combine(dir, "whole.csv")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir, "merged.csv")));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        });
    }

    [Property(MaxTest = 8)]
    public Property Merged_shards_of_a_random_capacity_grid_are_the_unsharded_json_for_any_N_and_any_order_of_parts()
    {
        string[] capacityRates = ["100Mbps", "1Gbps", "3Gbps"];
        Gen<(int Rates, int Sizes, int Shards, int Order)> cases =
            from rates in Gen.Choose(1, 7)
            from sizes in Gen.Choose(1, 7)
            from shards in Gen.Choose(1, 8)
            from order in Gen.Choose(0, 1000)
            select (rates, sizes, shards, order);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            string rates = string.Join(",", capacityRates.Where((_, i) => (c.Rates & (1 << i)) != 0));
            string sizes = string.Join(",", Sizes.Where((_, i) => (c.Sizes & (1 << i)) != 0).Select(s => s.TrimEnd('B')));
            string[] grid = ["capacity", Scenario, "--slo", "max<250us", "--rates", rates, "--frame-sizes", sizes, "--trial", "3ms", "--set", "traffic.warmup=1ms", "--seed", "3"];
            string dir = Directory.CreateTempSubdirectory("kbp-shard-cap-").FullName;
            try
            {
                Assert.Equal(0, Run([.. grid, "--json", Path.Combine(dir, "whole.json")]));
                var parts = new List<string>();
                for (int k = 0; k < c.Shards; k++)
                {
                    Assert.Equal(0, Run([.. grid, "--shard", $"{k}/{c.Shards}", "--parts", dir]));
                    parts.Add(Path.Combine(dir, $"part-{k}-of-{c.Shards}.jsonl"));
                }

                var shuffle = new Random(c.Order);
                Assert.Equal(0, Run(["merge", .. parts.OrderBy(_ => shuffle.Next()), "--json", Path.Combine(dir, "merged.json")]));
                return File.ReadAllBytes(Path.Combine(dir, "whole.json")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir, "merged.json")));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        });
    }

    [Property(MaxTest = 4)]
    public Property Merged_shards_of_a_validation_are_the_whole_runs_json_for_any_suite_any_N_and_any_order_of_parts()
    {
        Gen<(string Suite, int Shards, int Order)> cases =
            from suite in Gen.Elements("vm", "containers", "all")
            from shards in Gen.Choose(1, 8)
            from order in Gen.Choose(0, 1000)
            select (suite, shards, order);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            ValidationPartHeader header = ShardValidateTests.Header(c.Suite, 5);
            string dir = Directory.CreateTempSubdirectory("kbp-shard-validate-").FullName;
            try
            {
                (byte[] whole, int wholeCode) = ShardValidateTests.Whole(header, dir);
                var shuffle = new Random(c.Order);
                string[] parts = [.. ShardValidateTests.Shards(header, dir, c.Shards).OrderBy(_ => shuffle.Next())];
                string merged = Path.Combine(dir, "merged.json");
                return Run(["merge", .. parts, "--json", merged]) == wholeCode && whole.AsSpan().SequenceEqual(File.ReadAllBytes(merged));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        });
    }
}
