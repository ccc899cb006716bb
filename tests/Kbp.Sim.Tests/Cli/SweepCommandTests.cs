using System.Text.Json;
using Kbp.Sim.Cli;
using Kbp.Sim.Tests.Contract;
using Kbp.Sim.Tests.Scenarios;
using static Kbp.Sim.Tests.Cli.CliHarness;

namespace Kbp.Sim.Tests.Cli;

public class SweepCommandTests
{
    private static readonly string Scenario = RepositoryFiles.PaperScenario("vm-napi-80mbps-64b.yaml");

    [Theory]
    [InlineData("--vary", "traffic.rate")]
    [InlineData("--vary", "traffic.rate=")]
    [InlineData("--vary", "traffic.rate=80Mbps,,1Gbps")]
    [InlineData("--vary", "traffic.rate=80Mbps,80Mbps")]
    [InlineData("--vary", "no.such.key=1,2")]
    [InlineData("--vary", "traffic.rate=80Mbps,fast")]
    [InlineData("--vary", "traffic.frameSize=64B,20000B")]
    [InlineData("--set", "traffic.pattern=zigzag")]
    [InlineData("--duration", "ten")]
    [InlineData("--repetitions", "0")]
    public void Bad_input_is_one_line_exit_code_2_and_no_output_file(string option, string value)
    {
        string dir = Directory.CreateTempSubdirectory("kbp-sweep-bad-").FullName;
        string json = Path.Combine(dir, "s.json");
        string csv = Path.Combine(dir, "s.csv");
        string[] args = option == "--vary"
            ? ["sweep", Scenario, option, value, "--json", json, "--csv", csv]
            : ["sweep", Scenario, "--vary", "traffic.rate=40Mbps,80Mbps", option, value, "--json", json, "--csv", csv];
        (int code, string output, string error) = Run(args);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("kbp-sim: ", error);
        Assert.DoesNotContain("   at ", error);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void A_sweep_without_vary_or_with_a_key_varied_twice_is_refused()
    {
        (int code, _, string error) = Run("sweep", Scenario);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("at least one --vary", error);

        (code, _, error) = Run("sweep", Scenario, "--vary", "traffic.rate=1Gbps", "--vary", "traffic.rate=2Gbps");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void An_output_path_that_is_a_directory_is_refused_before_running()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-sweep-dir-").FullName;
        (int code, string output, string error) = Run("sweep", Scenario, "--vary", "traffic.rate=40Mbps", "--csv", dir);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Contains("is a directory", error);
    }

    [Fact]
    public void Sweep_prints_a_row_per_point_and_writes_the_same_json_for_the_same_seed()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-sweep-").FullName;
        string[] jsons = [Path.Combine(dir, "a.json"), Path.Combine(dir, "b.json")];
        string csv = Path.Combine(dir, "s.csv");
        string output = string.Empty;
        foreach (string json in jsons)
        {
            (int code, output, string error) = Run(
                "sweep", Scenario, "--vary", "traffic.rate=40Mbps,80Mbps", "--vary", "traffic.frameSize=64B,1518B",
                "--duration", "20ms", "--repetitions", "2", "--set", "traffic.warmup=1ms", "--seed", "11", "--json", json, "--csv", csv);
            Assert.True(code == ExitCodes.Ok, error);
            Assert.Empty(error); // no progress line when stderr is not a terminal
        }

        Assert.Equal(File.ReadAllText(jsons[0]), File.ReadAllText(jsons[1]));
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Contains("traffic.rate", lines[1]);
        Assert.Contains("p99.9", lines[1]);
        Assert.StartsWith("3  80Mbps", lines[5]);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(jsons[0]));
        JsonElement root = doc.RootElement;
        Assert.Equal(11UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(2, root.GetProperty("vary").GetArrayLength());
        JsonElement points = root.GetProperty("points");
        Assert.Equal(4, points.GetArrayLength());
        JsonElement last = points[3];
        Assert.Equal(3, last.GetProperty("index").GetInt32());
        Assert.Equal("traffic.rate=80Mbps,traffic.frameSize=1518B", last.GetProperty("id").GetString());
        Assert.Equal("1518B", last.GetProperty("values").GetProperty("traffic.frameSize").GetString());
        foreach (string field in new[] { "count", "minNs", "meanNs", "p50Ns", "p99Ns", "p999Ns", "maxNs" })
        {
            Assert.True(last.GetProperty("latency").TryGetProperty(field, out _), field);
        }

        JsonElement frames = last.GetProperty("frames");
        Assert.Equal(frames.GetProperty("offered").GetInt64(), frames.GetProperty("received").GetInt64() + frames.GetProperty("lost").GetInt64() + frames.GetProperty("inFlight").GetInt64());
        Assert.True(last.TryGetProperty("lossRatio", out _));
        Assert.True(last.TryGetProperty("excursionsAbove1msPerSecond", out _));
        Assert.True(last.TryGetProperty("topTailCause", out _));

        string[] rows = File.ReadAllLines(csv);
        Assert.Equal(5, rows.Length);
        Assert.StartsWith("index,id,traffic.rate,traffic.frameSize,seed,repetitions,offered,sent,received,lost", rows[0]);
        Assert.StartsWith("3,\"traffic.rate=80Mbps,traffic.frameSize=1518B\",80Mbps,1518B,", rows[4]);
    }

    [Fact]
    public void A_point_run_alone_gives_the_same_json_as_inside_a_bigger_sweep()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-sweep-one-").FullName;
        string big = Path.Combine(dir, "big.json");
        string one = Path.Combine(dir, "one.json");
        string[] common = ["--duration", "20ms", "--repetitions", "1", "--set", "traffic.warmup=1ms"];
        Assert.Equal(0, Run(["sweep", Scenario, "--vary", "traffic.rate=40Mbps,80Mbps", "--vary", "traffic.frameSize=64B,512B", .. common, "--json", big]).Code);
        Assert.Equal(0, Run(["sweep", Scenario, "--vary", "traffic.rate=80Mbps", "--vary", "traffic.frameSize=512B", .. common, "--json", one]).Code);

        using JsonDocument b = JsonDocument.Parse(File.ReadAllText(big));
        using JsonDocument o = JsonDocument.Parse(File.ReadAllText(one));
        JsonElement inBig = b.RootElement.GetProperty("points")[3];
        JsonElement alone = o.RootElement.GetProperty("points")[0];
        foreach (string field in new[] { "id", "seed", "latency", "frames", "tailCauses", "events" })
        {
            Assert.Equal(inBig.GetProperty(field).GetRawText(), alone.GetProperty(field).GetRawText());
        }
    }
}
