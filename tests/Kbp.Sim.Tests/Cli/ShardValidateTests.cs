using System.Diagnostics;
using Kbp.Sim.Cli.Commands;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Cli;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Tests.Scenarios;
using static Kbp.Sim.Tests.Cli.CliHarness;

namespace Kbp.Sim.Tests.Cli;

/// <summary>
/// <c>validate --shard K/N</c> and its merge, on the paper suite with tiny run lengths (the
/// scenario files copied with a 1 ms warm-up; 2 ms latency runs, 1 ms trials): the units
/// shards write, merged, give the whole run's JSON and exit code.
/// </summary>
public class ShardValidateTests
{
    /// <summary>Run lengths far below <c>--quick</c>'s, for tests: the claims' values mean nothing, the bytes must still match.</summary>
    internal static readonly SuiteSettings Tiny = new(true, 2_000_000, 1, 1_000_000, 1, 0.5);

    private static readonly Lazy<string> TinyScenarios = new(() =>
    {
        string repository = Path.GetFullPath(Path.Combine(ScenarioTestFiles.Directory, "..", "..", ".."));
        string root = Directory.CreateTempSubdirectory("kbp-validate-tiny-").FullName;
        string paper = Directory.CreateDirectory(Path.Combine(root, "scenarios", "paper")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "scenarios", "profiles"));
        foreach (string profile in Directory.GetFiles(Path.Combine(repository, "scenarios", "profiles")))
        {
            File.Copy(profile, Path.Combine(root, "scenarios", "profiles", Path.GetFileName(profile)));
        }

        foreach (string file in Directory.GetFiles(Path.Combine(repository, "scenarios", "paper"), "*.yaml"))
        {
            File.WriteAllText(Path.Combine(paper, Path.GetFileName(file)), File.ReadAllText(file).Replace("\ntraffic:\n", "\ntraffic:\n  warmup: 1ms\n", StringComparison.Ordinal));
        }

        return paper;
    });

    /// <summary>The header of a tiny run of <paramref name="suite"/> (vm, containers or all).</summary>
    internal static ValidationPartHeader Header(string suite, ulong seed) => new(PartHeader.ProgramVersion, seed, Tiny, suite);

    /// <summary>The units of a tiny run.</summary>
    internal static IReadOnlyList<SuiteUnit> Units(ValidationPartHeader header) =>
        PaperSuite.Units(TinyScenarios.Value, header.Settings, header.Seed, header.Vm, header.Containers);

    /// <summary>The whole run, as <c>validate</c> does it: every unit in order, then the report; its JSON and exit code.</summary>
    internal static (byte[] Json, int Code) Whole(ValidationPartHeader header, string dir)
    {
        var results = Units(header).ToDictionary(u => u.Id, u => u.Run());
        string json = Path.Combine(dir, "whole.json");
        int code = ValidateCommand.Report(new StringWriter(), new StringWriter(), header, results, json, null, Stopwatch.StartNew());
        return (File.ReadAllBytes(json), code);
    }

    /// <summary>Runs shard K of N for every K into <paramref name="dir"/>; the part paths.</summary>
    internal static string[] Shards(ValidationPartHeader header, string dir, int n)
    {
        IReadOnlyList<SuiteUnit> units = Units(header);
        for (int k = 0; k < n; k++)
        {
            var error = new StringWriter();
            Assert.True(ValidateShardRun.Run(new StringWriter(), error, header, units, $"{k}/{n}", dir, null, false) == ExitCodes.Ok, error.ToString());
        }

        return [.. Enumerable.Range(0, n).Select(k => Path.Combine(dir, $"part-{k}-of-{n}.jsonl"))];
    }

    [Fact]
    public void Merged_unit_shards_give_the_whole_runs_json_byte_for_byte_and_its_exit_code()
    {
        ValidationPartHeader header = Header("all", 2);
        string dir = Directory.CreateTempSubdirectory("kbp-validate-shard-").FullName;
        (byte[] whole, int wholeCode) = Whole(header, dir);
        string[] parts = Shards(header, dir, 3);

        (int code, string output, string error) = Run(["merge", parts[1], parts[2], parts[0], "--json", Path.Combine(dir, "merged.json")]);

        Assert.True(code == wholeCode, error);
        Assert.Contains("predictions: containers", output);
        Assert.Equal(whole, File.ReadAllBytes(Path.Combine(dir, "merged.json")));
    }

    [Fact]
    public void The_units_are_the_latency_runs_the_rfc2544_frame_sizes_and_the_frame_size_limit_in_a_fixed_order()
    {
        IReadOnlyList<string> vm = PaperSuite.UnitIds(vm: true, containers: false);
        IReadOnlyList<string> all = PaperSuite.UnitIds(vm: true, containers: true);

        Assert.Equal(29, vm.Count);
        Assert.Equal("latency/vm-napi-80mbps-64b", vm[0]);
        Assert.Equal("latency/vm-analysis-napi-1gbps-1518b", vm[18]);
        Assert.Equal("rfc2544/napi/64B", vm[19]);
        Assert.Equal("frame-size-limit", vm[^1]);
        Assert.Equal(vm, all.Take(29));
        Assert.Equal(29 + 24 + 12, all.Count);
        Assert.Equal("rfc2544/container-kbp-k8s/1518B", all[^1]);
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void Merge_with_a_part_missing_names_the_missing_units_exits_2_and_writes_nothing()
    {
        ValidationPartHeader header = Header("vm", 2);
        string dir = Directory.CreateTempSubdirectory("kbp-validate-missing-").FullName;
        string[] parts = Shards(header, dir, 10);
        string json = Path.Combine(dir, "merged.json");

        (int code, string output, string error) = Run(["merge", .. parts.Where((_, k) => k != 9), "--json", json]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Equal("kbp-sim: merge: 2 missing unit(s): latency/vm-ovs-dpdk-1gbps-64b | rfc2544/napi/64B", error.TrimEnd('\n'));
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Resume_keeps_the_finished_units_and_gives_the_same_part()
    {
        ValidationPartHeader header = Header("vm", 2);
        string dir = Directory.CreateTempSubdirectory("kbp-validate-full-").FullName;
        string full = Shards(header, dir, 5)[4];
        string[] lines = File.ReadAllLines(full);
        Assert.Equal(5, lines.Length);
        string resume = Directory.CreateTempSubdirectory("kbp-validate-resume-").FullName;
        File.WriteAllText(Path.Combine(resume, "part-4-of-5.jsonl.partial"), lines[4] + "\n" + lines[0] + "\n" + lines[1][..50]);
        var output = new StringWriter();

        int code = ValidateShardRun.Run(output, new StringWriter(), header, Units(header), "4/5", null, resume, false);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("5 of 29 unit(s), 3 run, 2 resumed", output.ToString());
        Assert.Equal(File.ReadAllBytes(full), File.ReadAllBytes(Path.Combine(resume, "part-4-of-5.jsonl")));
    }

    [Fact]
    public void A_validate_shard_refuses_the_whole_run_outputs()
    {
        (int code, string output, string error) = Run("validate", "--quick", "--scenarios", TinyScenarios.Value, "--shard", "0/2", "--json", Path.Combine(Path.GetTempPath(), "never.json"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Contains("kbp-sim merge", error);
    }
}
