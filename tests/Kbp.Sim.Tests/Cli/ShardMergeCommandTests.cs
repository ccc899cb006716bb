using Kbp.Sim.Cli;
using Kbp.Sim.Tests.Contract;
using Kbp.Sim.Tests.Scenarios;
using static Kbp.Sim.Tests.Cli.CliHarness;

namespace Kbp.Sim.Tests.Cli;

public class ShardMergeCommandTests
{
    private static readonly string Scenario = RepositoryFiles.PaperScenario("vm-napi-80mbps-64b.yaml");

    private static readonly string[] Sweep =
    [
        "sweep", Scenario, "--vary", "traffic.rate=40Mbps,80Mbps", "--vary", "traffic.frameSize=64B,512B,1518B",
        "--duration", "10ms", "--repetitions", "1", "--set", "traffic.warmup=1ms", "--seed", "5",
    ];

    private static string[] Shards(string dir, int n, params string[] extra)
    {
        for (int k = 0; k < n; k++)
        {
            (int code, _, string error) = Run([.. Sweep, "--shard", $"{k}/{n}", "--parts", dir, .. extra]);
            Assert.True(code == ExitCodes.Ok, error);
        }

        return Enumerable.Range(0, n).Select(k => Path.Combine(dir, $"part-{k}-of-{n}.jsonl")).ToArray();
    }

    [Fact]
    public void Merged_shards_give_the_unsharded_json_and_csv_byte_for_byte()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-shard-").FullName;
        Assert.Equal(ExitCodes.Ok, Run([.. Sweep, "--json", Path.Combine(dir, "whole.json"), "--csv", Path.Combine(dir, "whole.csv")]).Code);
        string[] parts = Shards(dir, 4);
        Assert.All(parts, p => Assert.True(File.Exists(p)));
        Assert.Empty(Directory.GetFiles(dir, "*.partial"));

        (int code, string output, string error) = Run(["merge", .. parts.Reverse(), "--json", Path.Combine(dir, "merged.json"), "--csv", Path.Combine(dir, "merged.csv")]);
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("6 point(s)", output);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "whole.json")), File.ReadAllBytes(Path.Combine(dir, "merged.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "whole.csv")), File.ReadAllBytes(Path.Combine(dir, "merged.csv")));
    }

    [Fact]
    public void Merge_with_a_part_missing_names_the_missing_points_exits_2_and_writes_nothing()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-shard-missing-").FullName;
        string[] parts = Shards(dir, 3);
        string json = Path.Combine(dir, "merged.json");
        string csv = Path.Combine(dir, "merged.csv");

        (int code, string output, string error) = Run("merge", parts[0], parts[2], "--json", json, "--csv", csv);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("kbp-sim: merge: 2 missing point(s): ", error);
        Assert.Contains("traffic.rate=40Mbps,traffic.frameSize=512B", error); // index 1
        Assert.Contains("traffic.rate=80Mbps,traffic.frameSize=512B", error); // index 4
        Assert.False(File.Exists(json));
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public void Merge_refuses_duplicate_points_and_points_of_another_run()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-shard-bad-").FullName;
        string[] parts = Shards(dir, 2);
        string other = Directory.CreateTempSubdirectory("kbp-shard-other-").FullName;
        string[] otherParts = Shards(other, 2, "--set", "traffic.warmup=2ms");
        string json = Path.Combine(dir, "merged.json");

        (int code, _, string error) = Run("merge", parts[0], parts[1], parts[1], "--json", json);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("3 duplicate point(s)", error);
        Assert.Contains("traffic.rate=40Mbps,traffic.frameSize=512B", error);

        (code, _, error) = Run("merge", parts[0], otherParts[1], "--json", json);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains("3 point(s) from another run", error);
        Assert.Contains("(--set traffic.warmup=1ms traffic.warmup=2ms traffic.seed=5", error); // what the stray part has, then what the others have
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Resume_keeps_the_points_a_stopped_task_finished_and_gives_the_same_part()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-shard-full-").FullName;
        string full = Shards(dir, 2)[1];
        string[] lines = File.ReadAllLines(full);
        Assert.Equal(3, lines.Length);

        // A task stopped after one point, in the middle of writing the next line.
        string resume = Directory.CreateTempSubdirectory("kbp-shard-resume-").FullName;
        File.WriteAllText(Path.Combine(resume, "part-1-of-2.jsonl.partial"), lines[0] + "\n" + lines[1][..40]);

        (int code, string output, string error) = Run([.. Sweep, "--shard", "1/2", "--resume", resume]);
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("2 run, 1 resumed", output);
        Assert.Equal(File.ReadAllBytes(full), File.ReadAllBytes(Path.Combine(resume, "part-1-of-2.jsonl")));
        Assert.Empty(Directory.GetFiles(resume, "*.partial"));
    }

    [Theory]
    [InlineData("--shard", "3/3")]
    [InlineData("--shard", "x")]
    [InlineData("--resume", "/nonexistent-kbp-dir")]
    public void Bad_shard_options_are_one_line_and_exit_code_2(string option, string value)
    {
        string[] args = option == "--resume" ? [.. Sweep, "--shard", "0/2", option, value] : [.. Sweep, option, value];
        (int code, string output, string error) = Run(args);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Shard_refuses_the_whole_sweep_outputs()
    {
        (int code, _, string error) = Run([.. Sweep, "--shard", "0/2", "--json", Path.Combine(Path.GetTempPath(), "never.json")]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("kbp-sim merge", error);
    }
}
