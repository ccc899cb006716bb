using Kbp.Sim.Cli;
using Kbp.Sim.Tests.Contract;
using Kbp.Sim.Tests.Scenarios;
using static Kbp.Sim.Tests.Cli.CliHarness;

namespace Kbp.Sim.Tests.Cli;

public class ShardCapacityCommandTests
{
    private static readonly string Scenario = RepositoryFiles.PaperScenario("vm-kbp-1gbps-512b.yaml");

    private static readonly string[] Grid =
    [
        "capacity", Scenario, "--slo", "max<250us", "--rates", "1Gbps,100Mbps,500Mbps", "--frame-sizes", "1518,64", "--trial", "5ms",
        "--set", "traffic.warmup=1ms", "--seed", "3",
    ];

    private static string[] Shards(string dir, int n, string[]? grid = null)
    {
        for (int k = 0; k < n; k++)
        {
            (int code, _, string error) = Run([.. grid ?? Grid, "--shard", $"{k}/{n}", "--parts", dir]);
            Assert.True(code == ExitCodes.Ok, error);
        }

        return Enumerable.Range(0, n).Select(k => Path.Combine(dir, $"part-{k}-of-{n}.jsonl")).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Merged_cell_shards_give_the_unsharded_json_and_table_byte_for_byte(int n)
    {
        string dir = Directory.CreateTempSubdirectory("kbp-cap-shard-").FullName;
        (int code, string whole, string error) = Run([.. Grid, "--json", Path.Combine(dir, "whole.json")]);
        Assert.True(code == ExitCodes.Ok, error);
        string[] parts = Shards(dir, n);

        (code, string merged, error) = Run(["merge", .. parts.Reverse(), "--json", Path.Combine(dir, "merged.json")]);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "whole.json")), File.ReadAllBytes(Path.Combine(dir, "merged.json")));
        static string WithoutWall(string table) => table[..table.LastIndexOf(" in ", StringComparison.Ordinal)];
        Assert.Equal(WithoutWall(whole), WithoutWall(merged));
    }

    [Fact]
    public void Cells_are_numbered_by_frame_size_then_rate_ascending_whatever_the_order_given()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-cap-order-").FullName;
        string[] lines = File.ReadAllLines(Shards(dir, 1)[0]);

        string[] ids = [.. lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!)];

        Assert.Equal(
            ["64B@100000000bps/l2", "64B@500000000bps/l2", "64B@1000000000bps/l2", "1518B@100000000bps/l2", "1518B@500000000bps/l2", "1518B@1000000000bps/l2"],
            ids);
    }

    [Fact]
    public void Merge_with_a_part_missing_names_the_missing_cells_exits_2_and_writes_nothing()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-cap-missing-").FullName;
        string[] parts = Shards(dir, 3);
        string json = Path.Combine(dir, "merged.json");

        (int code, string output, string error) = Run("merge", parts[2], parts[0], "--json", json);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Equal("kbp-sim: merge: 2 missing cell(s): 64B@500000000bps/l2 | 1518B@500000000bps/l2", error.TrimEnd('\n'));
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Merge_names_duplicate_cells_and_cells_of_another_run()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-cap-mixed-").FullName;
        string[] parts = Shards(dir, 2);
        string other = Directory.CreateTempSubdirectory("kbp-cap-other-").FullName;
        string[] otherParts = Shards(other, 2, [.. Grid[..^1], "4"]);
        string json = Path.Combine(dir, "merged.json");

        (int code, _, string error) = Run("merge", parts[0], parts[1], parts[1], "--json", json);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("kbp-sim: merge: 3 duplicate cell(s): 64B@500000000bps/l2 | 1518B@100000000bps/l2 | 1518B@1000000000bps/l2", error.TrimEnd('\n'));

        (code, _, error) = Run("merge", parts[0], otherParts[1], "--json", json);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains("3 missing cell(s)", error);
        Assert.Contains("3 cell(s) from another run: 64B@500000000bps/l2 (--set traffic.warmup=1ms traffic.seed=4, not traffic.warmup=1ms traffic.seed=3)", error);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Resume_keeps_the_finished_cells_and_gives_the_same_part()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-cap-full-").FullName;
        string full = Shards(dir, 1)[0];
        string[] lines = File.ReadAllLines(full);
        Assert.Equal(6, lines.Length);
        string resume = Directory.CreateTempSubdirectory("kbp-cap-resume-").FullName;
        File.WriteAllText(Path.Combine(resume, "part-0-of-1.jsonl.partial"), lines[4] + "\n" + lines[1] + "\n" + lines[2][..40]);

        (int code, string output, string error) = Run([.. Grid, "--shard", "0/1", "--resume", resume]);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("6 of 6 cell(s), 4 run, 2 resumed", output);
        Assert.Equal(File.ReadAllBytes(full), File.ReadAllBytes(Path.Combine(resume, "part-0-of-1.jsonl")));
        Assert.False(File.Exists(Path.Combine(resume, "part-0-of-1.jsonl.partial")));
    }

    [Fact]
    public void A_search_cannot_be_sharded_and_a_shard_refuses_the_whole_run_outputs()
    {
        (int code, string output, string error) = Run("capacity", Scenario, "--slo", "loss=0", "--rates", "1Gbps", "--trial", "5ms", "--shard", "0/2");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Equal("kbp-sim: --shard splits a grid (--rates and --frame-sizes); a frame-size or rate search is one unit of work", error.TrimEnd('\n'));

        (code, _, error) = Run([.. Grid, "--shard", "0/2", "--json", Path.Combine(Path.GetTempPath(), "never.json")]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("kbp-sim merge", error);

        string dir = Directory.CreateTempSubdirectory("kbp-cap-csv-").FullName;
        (code, _, error) = Run("merge", Shards(dir, 1)[0], "--csv", Path.Combine(dir, "x.csv"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("capacity has no CSV", error);
    }

    [Fact]
    public void Merge_refuses_parts_whose_scenario_file_changed_since_they_ran()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-cap-changed-").FullName;
        string scenario = Path.Combine(dir, "s.yaml");
        File.WriteAllText(scenario, File.ReadAllText(Scenario).Replace("../profiles/", Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Scenario)!, "..", "profiles")) + "/", StringComparison.Ordinal));
        string[] grid = ["capacity", scenario, "--slo", "loss=0", "--rates", "100Mbps", "--frame-sizes", "1518", "--trial", "2ms", "--set", "traffic.warmup=1ms"];
        Assert.Equal(ExitCodes.Ok, Run([.. grid, "--shard", "0/1", "--parts", dir]).Code);
        File.WriteAllText(scenario, File.ReadAllText(scenario).Replace("clock: 2.0GHz", "clock: 2.5GHz", StringComparison.Ordinal));

        (int code, _, string error) = Run("merge", Path.Combine(dir, "part-0-of-1.jsonl"), "--json", Path.Combine(dir, "m.json"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("the scenario or profile file changed since the shards ran", error);
        Assert.False(File.Exists(Path.Combine(dir, "m.json")));
    }
}
