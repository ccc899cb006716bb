using Kbp.Sim.Cli;
using Kbp.Sim.Tests.Contract;
using Kbp.Sim.Tests.Scenarios;
using static Kbp.Sim.Tests.Cli.CliHarness;

namespace Kbp.Sim.Tests.Cli;

public class ShardRfc2544CommandTests
{
    private static readonly string Scenario = RepositoryFiles.PaperScenario("vm-napi-80mbps-64b.yaml");

    private static readonly string[] Rfc2544 =
    [
        "rfc2544", Scenario, "--frame-sizes", "64,512,1518", "--trial", "10ms", "--repetitions", "2",
        "--set", "traffic.warmup=1ms", "--set", "nic.rate=1Gbps", "--seed", "3",
    ];

    private static string[] Shards(string dir, int n)
    {
        for (int k = 0; k < n; k++)
        {
            (int code, _, string error) = Run([.. Rfc2544, "--shard", $"{k}/{n}", "--parts", dir]);
            Assert.True(code == ExitCodes.Ok, error);
        }

        return Enumerable.Range(0, n).Select(k => Path.Combine(dir, $"part-{k}-of-{n}.jsonl")).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Merged_frame_size_shards_give_the_unsharded_json_byte_for_byte(int n)
    {
        string dir = Directory.CreateTempSubdirectory("kbp-rfc-shard-").FullName;
        Assert.Equal(ExitCodes.Ok, Run([.. Rfc2544, "--json", Path.Combine(dir, "whole.json")]).Code);
        string[] parts = Shards(dir, n);

        (int code, string output, string error) = Run(["merge", .. parts.Reverse(), "--json", Path.Combine(dir, "merged.json")]);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("1518B", output);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "whole.json")), File.ReadAllBytes(Path.Combine(dir, "merged.json")));
    }

    [Fact]
    public void Merge_with_a_part_missing_names_the_missing_frame_sizes_exits_2_and_writes_nothing()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-rfc-missing-").FullName;
        string[] parts = Shards(dir, 2);
        string json = Path.Combine(dir, "merged.json");

        (int code, string output, string error) = Run("merge", parts[1], "--json", json);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Equal("kbp-sim: merge: 2 missing frame size(s): 64B | 1518B", error.TrimEnd('\n'));
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Resume_keeps_the_finished_frame_sizes_and_gives_the_same_part()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-rfc-full-").FullName;
        string full = Shards(dir, 1)[0];
        string[] lines = File.ReadAllLines(full);
        Assert.Equal(3, lines.Length);
        string resume = Directory.CreateTempSubdirectory("kbp-rfc-resume-").FullName;
        File.WriteAllText(Path.Combine(resume, "part-0-of-1.jsonl.partial"), lines[0] + "\n" + lines[2] + "\n" + lines[1][..30]);

        (int code, string output, string error) = Run([.. Rfc2544, "--shard", "0/1", "--resume", resume]);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("1 run, 2 resumed", output);
        Assert.Equal(File.ReadAllBytes(full), File.ReadAllBytes(Path.Combine(resume, "part-0-of-1.jsonl")));
    }

    [Fact]
    public void A_shard_refuses_the_whole_run_outputs_and_merge_refuses_a_csv()
    {
        (int code, _, string error) = Run([.. Rfc2544, "--shard", "0/2", "--json", Path.Combine(Path.GetTempPath(), "never.json")]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("kbp-sim merge", error);

        string dir = Directory.CreateTempSubdirectory("kbp-rfc-csv-").FullName;
        string[] parts = Shards(dir, 1);
        (code, _, error) = Run("merge", parts[0], "--csv", Path.Combine(dir, "x.csv"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("no CSV", error);
    }
}
