using System.Text.Json;
using Kbp.Sim.Cli;
using Kbp.Sim.Tests.Contract;
using Kbp.Sim.Tests.Scenarios;
using static Kbp.Sim.Tests.Cli.CliHarness;

namespace Kbp.Sim.Tests.Cli;

public class CalibrateCommandTests
{
    private static readonly string Scenario = RepositoryFiles.PathOf("scenarios", "paper", "vm-kbp-80mbps-64b.yaml");

    [Fact]
    public void Calibrate_prints_the_module_figures_next_to_the_model_guest_and_host_and_writes_json()
    {
        using var folder = new TempFolder();
        string json = Path.Combine(folder.Path, "calibrate.json");
        (int code, string output, string error) = Run(
            "calibrate", "--kbp-stats", RepositoryFiles.Fixture("kbp-stats-qemu.txt"), "--scenario", Scenario, "--duration", "50ms", "--json", json);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Empty(error);
        Assert.Contains("QEMU TCG", output);
        Assert.Contains("module  cpus=0 weight=64 idle_mode=busy policy=fifo priority=50", output);
        Assert.Matches(@"empty polls / poll +51\.7% +51\.7%", output);
        Assert.Matches(@"batch 64-127 +2\.3% +2\.3%", output);
        foreach (string row in new[] { "packets / poll", "requeues / poll", "sched-to-poll mean", "sched-to-poll max", "batch 256+" })
        {
            Assert.Contains(row, output);
        }

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement sides = doc.RootElement.GetProperty("sides");
        Assert.Equal(659, sides.GetProperty("module").GetProperty("threads")[0].GetProperty("polls").GetInt64());
        foreach (string side in new[] { "guest", "host" })
        {
            JsonElement total = sides.GetProperty(side).GetProperty("total");
            Assert.True(total.GetProperty("polls").GetInt64() > 1000, side);
            double shares = total.GetProperty("batchShare").EnumerateObject().Sum(b => b.Value.GetDouble());
            Assert.Equal(1.0, shares, 3);
        }
    }

    [Fact]
    public void Apply_params_runs_the_guest_threads_with_the_module_parameters()
    {
        (int code, string output, string error) = Run(
            "calibrate", "--kbp-stats", RepositoryFiles.Fixture("kbp-stats-qemu-sleep.txt"), "--scenario", Scenario, "--duration", "20ms", "--apply-params");

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("guest   cpus=0 weight=8 idle_mode=sleep policy=rr priority=10", output);
        Assert.Contains("host    cpus=2 weight=64 idle_mode=busy policy=fifo priority=50", output);
    }

    [Fact]
    public void Malformed_lines_are_listed_on_stderr_with_their_numbers_and_counted()
    {
        using var folder = new TempFolder();
        string text = File.ReadAllText(RepositoryFiles.Fixture("kbp-stats-qemu.txt")) + "cpu=1 polls=oops\ngarbage\n";
        string file = folder.Write("stats.txt", text);
        (int code, string output, string error) = Run("calibrate", "--kbp-stats", file, "--scenario", Scenario, "--duration", "10ms");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"{file}:5: ", error);
        Assert.Contains($"{file}:6: ", error);
        Assert.Contains("2 malformed line(s)", output);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# kbp stats v1\nparams cpus=0\n")]
    [InlineData("# kbp stats v9\ncpu=0 polls=1\n")]
    public void A_statistics_file_with_nothing_usable_gets_one_line_and_exit_code_2(string text)
    {
        using var folder = new TempFolder();
        string file = folder.Write("stats.txt", text);
        (int code, string output, string error) = Run("calibrate", "--kbp-stats", file, "--scenario", Scenario);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("kbp-sim: ", error);
    }

    [Theory]
    [InlineData("--kbp-stats", "no/such/stats.txt")]
    [InlineData("--scenario", "no/such/scenario.yaml")]
    [InlineData("--duration", "soon")]
    [InlineData("--scenario", "vm-napi")]
    [InlineData("--json", "no/such/dir/out.json")]
    public void Bad_input_gets_one_line_and_exit_code_2(string option, string value)
    {
        var args = new List<string> { "calibrate", "--kbp-stats", RepositoryFiles.Fixture("kbp-stats-qemu.txt"), "--scenario", Scenario, "--duration", "10ms" };
        if (value == "vm-napi")
        {
            value = RepositoryFiles.PathOf("scenarios", "paper", "vm-napi-80mbps-64b.yaml");
        }

        int at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        (int code, string output, string error) = Run([.. args]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void The_statistics_file_is_required()
    {
        (int code, _, string error) = Run("calibrate");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--kbp-stats", error);
    }
}
