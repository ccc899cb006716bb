using System.Text.Json;
using Kbp.Sim.Cli;
using Kbp.Sim.Tests.Contract;
using Kbp.Sim.Tests.Scenarios;
using static Kbp.Sim.Tests.Cli.CliHarness;

namespace Kbp.Sim.Tests.Cli;

public class RunCommandTests
{
    private static string RepoFile(params string[] parts) => RepositoryFiles.PathOf(parts);

    public static TheoryData<string> BadFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(ScenarioTestFiles.PathOf("BadInput")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_scenario_file_gets_one_line_naming_the_file_and_exit_code_2(string file)
    {
        string json = Path.Combine(Path.GetTempPath(), $"kbp-bad-{Guid.NewGuid():N}.json");
        (int code, string output, string error) = Run("run", ScenarioTestFiles.PathOf("BadInput", file), "--json", json);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains(Path.GetFileNameWithoutExtension(file), error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(File.Exists(json), "no output file on bad input");
    }

    [Theory]
    [InlineData("--set", "traffic.rate=-1Gbps")]
    [InlineData("--duration", "ten")]
    [InlineData("--repetitions", "0")]
    [InlineData("--set", "nic.rxRing=0")]
    [InlineData("--set", "no.such.key=1")]
    public void Bad_command_line_values_get_one_line_and_exit_code_2(string option, string value)
    {
        (int code, _, string error) = Run("run", RepoFile("scenarios", "paper", "vm-kbp-80mbps-1518b.yaml"), option, value);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void An_output_path_that_is_a_directory_gets_one_line_and_exit_code_2()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-out-").FullName;
        (int code, _, string error) = Run("run", RepoFile("scenarios", "paper", "vm-kbp-80mbps-1518b.yaml"), "--duration", "10ms", "--repetitions", "1", "--json", dir);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains("is a directory", error);
    }

    [Fact]
    public void A_missing_file_gets_one_line_and_exit_code_2()
    {
        (int code, _, string error) = Run("run", "no/such/scenario.yaml");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("scenario.yaml", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Run_prints_a_summary_and_writes_json_hgrm_and_csv()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-run-").FullName;
        string json = Path.Combine(dir, "r.json");
        string hgrm = Path.Combine(dir, "r.hgrm");
        string csv = Path.Combine(dir, "r.csv");
        (int code, string output, string error) = Run(
            "run", RepoFile("scenarios", "paper", "vm-kbp-80mbps-1518b.yaml"),
            "--duration", "50ms", "--repetitions", "2", "--json", json, "--hgrm", hgrm, "--csv", csv);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("RTT", output);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = doc.RootElement;
        JsonElement latency = root.GetProperty("latency");
        foreach (string field in new[] { "count", "minNs", "meanNs", "p50Ns", "p99Ns", "p999Ns", "p9999Ns", "maxNs" })
        {
            Assert.True(latency.TryGetProperty(field, out _), field);
        }

        Assert.Equal(2, latency.GetProperty("maxNsPerRepetition").GetArrayLength());
        JsonElement frames = root.GetProperty("frames");
        Assert.Equal(
            frames.GetProperty("offered").GetInt64(),
            frames.GetProperty("received").GetInt64() + frames.GetProperty("lost").GetInt64() + frames.GetProperty("inFlight").GetInt64());
        Assert.True(root.GetProperty("stages").TryGetProperty("rxg0-rxg1", out JsonElement stage));
        Assert.True(stage.GetProperty("maxNs").GetInt64() >= stage.GetProperty("meanNs").GetDouble());
        Assert.Equal(JsonValueKind.Object, stage.GetProperty("causesAbove1ms").ValueKind);
        Assert.True(root.TryGetProperty("lossRatio", out _));
        Assert.Equal(JsonValueKind.Array, root.GetProperty("tailCauses").ValueKind);
        Assert.Contains("Value     Percentile TotalCount", File.ReadAllText(hgrm));
        string[] rows = File.ReadAllLines(csv);
        Assert.StartsWith("repetition,id,frameBytes,tester-tx,rxh0", rows[0]);
        Assert.Equal(latency.GetProperty("count").GetInt64(), rows.Length - 1);
    }

    [Fact]
    public void Same_seed_gives_identical_json()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-det-").FullName;
        string[] files = [Path.Combine(dir, "a.json"), Path.Combine(dir, "b.json")];
        foreach (string f in files)
        {
            (int code, _, string error) = Run("run", RepoFile("scenarios", "paper", "vm-napi-1gbps-512b.yaml"), "--duration", "30ms", "--repetitions", "3", "--seed", "7", "--json", f);
            Assert.True(code == 0, error);
        }

        Assert.Equal(File.ReadAllText(files[0]), File.ReadAllText(files[1]));
    }
}
