using System.Text.Json;
using Kbp.Sim.Cli;
using Kbp.Sim.Tests.Contract;
using Kbp.Sim.Tests.Scenarios;
using static Kbp.Sim.Tests.Cli.CliHarness;

namespace Kbp.Sim.Tests.Cli;

public class Rfc2544CommandTests
{
    private static readonly string Scenario = RepositoryFiles.PaperScenario("vm-napi-1gbps-1518b.yaml");

    [Theory]
    [InlineData("--resolution", "0%")]
    [InlineData("--resolution", "-1%")]
    [InlineData("--resolution", "50.1%")]
    [InlineData("--resolution", "0.5")]
    [InlineData("--resolution", "fine")]
    [InlineData("--frame-sizes", "32")]
    [InlineData("--frame-sizes", "64,9019")]
    [InlineData("--frame-sizes", "64,,512")]
    [InlineData("--frame-sizes", "64,512,64")]
    [InlineData("--frame-sizes", "big")]
    [InlineData("--frame-sizes", "64.5")]
    [InlineData("--frame-sizes", "")]
    [InlineData("--trial", "0s")]
    [InlineData("--trial", "-2s")]
    [InlineData("--trial", "ten")]
    [InlineData("--trial", "60")]
    [InlineData("--repetitions", "0")]
    [InlineData("--repetitions", "x")]
    [InlineData("--set", "no.such.key=1")]
    [InlineData("--seed", "-1")]
    public void Bad_input_is_one_line_exit_code_2_and_no_output_file(string option, string value)
    {
        string dir = Directory.CreateTempSubdirectory("kbp-rfc-bad-").FullName;
        string json = Path.Combine(dir, "r.json");
        (int code, string output, string error) = Run("rfc2544", Scenario, option, value, "--trial", "10ms", "--json", json);
        if (option == "--trial")
        {
            (code, output, error) = Run("rfc2544", Scenario, option, value, "--json", json);
        }

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("kbp-sim: ", error);
        Assert.DoesNotContain("   at ", error);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void Rfc2544_prints_the_throughput_per_frame_size_and_writes_the_same_json_for_the_same_seed()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-rfc-").FullName;
        string[] jsons = [Path.Combine(dir, "a.json"), Path.Combine(dir, "b.json")];
        string output = string.Empty;
        foreach (string json in jsons)
        {
            (int code, output, string error) = Run(
                "rfc2544", Scenario, "--frame-sizes", "64B,1518", "--trial", "20ms", "--resolution", "25%", "--repetitions", "2",
                "--set", "nic.rate=1Gbps", "--set", "traffic.warmup=1ms", "--seed", "4", "--json", json);
            Assert.True(code == ExitCodes.Ok, error);
            Assert.Empty(error);
        }

        Assert.Equal(File.ReadAllText(jsons[0]), File.ReadAllText(jsons[1]));
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Contains("line rate 1.000Gbps (L1)", lines[0]);
        Assert.Contains("zero-loss L1", lines[1]);
        Assert.StartsWith("  64B", lines[2]);
        Assert.Matches(@"(NicRxRing|NicTxRing|TapQueue|Virtqueue|SocketBuffer) [\d,]+", lines[2]);
        Assert.StartsWith("1518B", lines[3]);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(jsons[0]));
        JsonElement root = doc.RootElement;
        Assert.Equal(4UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(20_000_000, root.GetProperty("trialNs").GetInt64());
        JsonElement small = root.GetProperty("frameSizes")[0];
        Assert.Equal(64, small.GetProperty("frameBytes").GetInt32());
        Assert.Equal(1_000_000_000, small.GetProperty("lineRateBps").GetInt64());
        JsonElement rate = small.GetProperty("zeroLossRateBps");
        Assert.True(rate.GetProperty("min").GetInt64() <= rate.GetProperty("mean").GetDouble());
        Assert.True(rate.GetProperty("mean").GetDouble() <= rate.GetProperty("max").GetInt64());
        long lossPoint = small.GetProperty("lossPointBps").GetInt64();
        Assert.True(lossPoint > rate.GetProperty("min").GetInt64());
        JsonElement lossTrial = small.GetProperty("lossPointTrial");
        Assert.Equal(lossPoint, lossTrial.GetProperty("rateBps").GetInt64());
        Assert.False(lossTrial.GetProperty("passed").GetBoolean());
        Assert.False(lossTrial.GetProperty("stoppedEarly").GetBoolean());
        Assert.Equal(2, small.GetProperty("searches").GetArrayLength());
        JsonElement firstTrial = small.GetProperty("searches")[0].GetProperty("trials")[0];
        Assert.Equal(1_000_000_000, firstTrial.GetProperty("rateBps").GetInt64());
        Assert.True(firstTrial.GetProperty("stoppedEarly").GetBoolean());
    }
}
