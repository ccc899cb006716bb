using System.Text.Json;
using Kbp.Sim.Cli;
using Kbp.Sim.Tests.Contract;
using Kbp.Sim.Tests.Scenarios;
using static Kbp.Sim.Tests.Cli.CliHarness;

namespace Kbp.Sim.Tests.Cli;

public class CapacityCommandTests
{
    private static readonly string Scenario = RepositoryFiles.PaperScenario("vm-kbp-1gbps-512b.yaml");

    [Theory]
    [InlineData("--slo", "max<250")]
    [InlineData("--slo", "max<0us")]
    [InlineData("--slo", "max>250us")]
    [InlineData("--slo", "p100<1ms")]
    [InlineData("--slo", "p99.9<1ms,,loss=0")]
    [InlineData("--slo", "loss=2")]
    [InlineData("--slo", "max<1ms,max<2ms")]
    [InlineData("--slo", "")]
    [InlineData("--rates", "1Gbps,,2Gbps")]
    [InlineData("--rates", "1Gbps,1Gbps")]
    [InlineData("--rates", "fast")]
    [InlineData("--rate", "1.5bps")]
    [InlineData("--rate", "1000")]
    [InlineData("--frame-bytes", "32")]
    [InlineData("--frame-bytes", "big")]
    [InlineData("--frame-sizes", "64,64")]
    [InlineData("--step", "0B")]
    [InlineData("--step", "2000B")]
    [InlineData("--trial", "0s")]
    [InlineData("--resolution", "60%")]
    [InlineData("--set", "no.such.key=1")]
    public void Bad_input_is_one_line_exit_code_2_and_no_output_file(string option, string value)
    {
        string dir = Directory.CreateTempSubdirectory("kbp-capacity-bad-").FullName;
        string json = Path.Combine(dir, "c.json");
        var args = new List<string> { "capacity", Scenario, option, value, "--trial", "10ms", "--json", json, "--plot", dir };
        if (option != "--slo")
        {
            args.AddRange(["--slo", "loss=0"]);
        }

        if (option is not ("--rate" or "--rates" or "--frame-bytes" or "--frame-sizes"))
        {
            args.AddRange(["--rate", "1Gbps"]);
        }

        if (option == "--trial")
        {
            args.RemoveRange(4, 2);
        }

        (int code, string output, string error) = Run([.. args]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("kbp-sim: ", error);
        Assert.DoesNotContain("   at ", error);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void The_slo_problem_names_the_option_and_what_is_expected()
    {
        (int code, _, string error) = Run("capacity", Scenario, "--slo", "max<250", "--rate", "1Gbps");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--slo 'max<250': '250' is not a time: expected a duration such as", error);
    }

    [Theory]
    [InlineData("--rate", "1Gbps", "--rates", "2Gbps")]
    [InlineData("--frame-bytes", "512", "--frame-sizes", "64,512")]
    public void Each_axis_is_given_once(string a, string av, string b, string bv)
    {
        (int code, _, string error) = Run("capacity", Scenario, "--slo", "loss=0", a, av, b, bv);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("not both", error);
    }

    [Fact]
    public void Without_an_axis_there_is_nothing_to_find()
    {
        (int code, _, string error) = Run("capacity", Scenario, "--slo", "loss=0");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("nothing to find", error);
    }

    [Fact]
    public void A_frame_size_limit_prints_the_analytic_table_and_the_answer_and_writes_the_same_json_for_the_same_seed()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-capacity-").FullName;
        string[] jsons = [Path.Combine(dir, "a.json"), Path.Combine(dir, "b.json")];
        string output = string.Empty;
        foreach (string json in jsons)
        {
            (int code, output, string error) = Run(
                "capacity", Scenario, "--slo", "max<250us", "--rate", "1Gbps", "--trial", "20ms", "--step", "32B",
                "--set", "traffic.warmup=1ms", "--set", "traffic.mode=one-way", "--seed", "3", "--json", json, "--plot", dir);
            Assert.True(code == ExitCodes.Ok, error);
            Assert.Empty(error);
        }

        Assert.Equal(File.ReadAllText(jsons[0]), File.ReadAllText(jsons[1]));
        Assert.Contains("the smallest frame size meeting max<250us at each rate", output);
        Assert.Contains("guest rx (KBP thread)", output);
        Assert.Contains("busiest CPU: guest vcpu0 (host cpu4)", output);
        Assert.Matches(@"1\.000Gbps\s+233\.8B\s+213\.8B\s+\d+B", output);
        Assert.True(File.Exists(Path.Combine(dir, "capacity.png")));
        Assert.True(File.Exists(Path.Combine(dir, "capacity.svg")));

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(jsons[0]));
        JsonElement root = doc.RootElement;
        Assert.Equal("frameSizeLimit", root.GetProperty("question").GetString());
        Assert.Equal("max<250us", root.GetProperty("slo").GetString());
        Assert.Equal(1870, root.GetProperty("analytic").GetProperty("bottleneckWorkNs").GetInt64());
        JsonElement answer = root.GetProperty("answers")[0];
        Assert.Equal(233.75, answer.GetProperty("analytic").GetProperty("optimistic").GetDouble(), 3);
        Assert.True(answer.GetProperty("trials").GetArrayLength() >= 2);
    }

    [Fact]
    public void A_grid_prints_a_pass_fail_map_with_its_boundary_and_draws_it()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-capacity-grid-").FullName;
        (int code, string output, string error) = Run(
            "capacity", Scenario, "--slo", "loss=0", "--rates", "100Mbps,1Gbps", "--frame-sizes", "64,1518", "--trial", "20ms",
            "--set", "traffic.warmup=1ms", "--plot", dir);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("pass/fail map of loss=0", output);
        string[] lines = output.Split('\n');
        Assert.Contains(lines, l => l.TrimStart().StartsWith("64B", StringComparison.Ordinal) && l.Contains("FAIL", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("1518B", StringComparison.Ordinal) && l.Contains("pass", StringComparison.Ordinal));
        Assert.Contains("boundary (the highest rate up to which every rate passed", output);
        Assert.True(File.Exists(Path.Combine(dir, "capacity.png")));
    }
}
