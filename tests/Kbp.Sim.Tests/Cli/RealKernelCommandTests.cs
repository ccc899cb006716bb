using System.Text.Json;
using Kbp.Sim.Cli;
using Kbp.Sim.Tests.Contract;
using Kbp.Sim.Tests.Scenarios;
using static Kbp.Sim.Tests.Cli.CliHarness;

namespace Kbp.Sim.Tests.Cli;

public class RealKernelCommandTests
{
    private static readonly string Scenarios = RepositoryFiles.PathOf("scenarios", "real-kernel");

    // Two one-frame NET_RX runs of 9 µs, as tracefs writes them (from the harness's own trace).
    private const string Trace = """
        # tracer: nop
                sockperf-11409   [001] D..1. 16689.124016: softirq_raise: vec=3 [action=NET_RX]
                sockperf-11409   [001] ..s1. 16689.124017: softirq_entry: vec=3 [action=NET_RX]
                sockperf-11409   [001] ..s1. 16689.124018: netif_receive_skb: dev=krk8879c skbaddr=000000000d3f158a len=92
                sockperf-11409   [001] ..s1. 16689.124026: softirq_exit: vec=3 [action=NET_RX]
                sockperf-11431   [000] ..s1. 16689.144785: softirq_entry: vec=3 [action=NET_RX]
                sockperf-11431   [000] ..s1. 16689.144786: netif_receive_skb: dev=krk8879s skbaddr=0000000000015d97 len=92
                sockperf-11431   [000] ..s1. 16689.144794: softirq_exit: vec=3 [action=NET_RX]
        """;

    private static string Results(string idleTrace) => $$"""
        {
          "kernel": "6.18.44-test", "cpus": 2, "durationS": 10, "rateMps": 10000, "sizeBytes": 64, "clientCpu": 0, "serverCpu": 1,
          "configs": {
            "idle": {"p50Us": 62.4, "p99Us": 1213.6, "p999Us": 2978.6, "maxUs": 8715.0, "samples": 97084, "trace": {{idleTrace}}},
            "contention": {"p50Us": 42.0, "p99Us": 72.8, "p999Us": 3390.8, "maxUs": 9394.4, "samples": 95503, "trace": null}
          }
        }
        """;

    [Fact]
    public void Real_kernel_calibrates_from_the_trace_and_puts_measured_and_simulated_side_by_side()
    {
        using var folder = new TempFolder();
        folder.Write("trace-idle.txt", Trace);
        string results = folder.Write("results.json", Results("\"trace-idle.txt\""));
        string json = Path.Combine(folder.Path, "out.json");

        (int code, string output, string error) = Run(
            "real-kernel", results, "--scenarios", Scenarios, "--duration", "20ms", "--set", "traffic.warmup=2ms", "--json", json);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Empty(error);

        // 9 µs per one-frame run, less softirqEntry 0.1 and wakeup 1: 7.9 µs.
        Assert.Contains("NET_RX per frame p50 9 us over 2 runs -> costs.host.napiPollPerPacket=7900ns", output);
        Assert.Matches(@"idle +p50 +62\.4 +49\.3 +0\.79", output);
        Assert.Matches(@"contention +max +9394\.4 ", output);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = doc.RootElement;
        Assert.Equal(7900, root.GetProperty("calibration").GetProperty("napiPollPerPacketNs").GetInt64());
        JsonElement idle = root.GetProperty("configs").GetProperty("idle");
        Assert.Equal(62.4, idle.GetProperty("measured").GetProperty("p50Us").GetDouble());
        Assert.Equal(49.3, idle.GetProperty("simulated").GetProperty("p50Us").GetDouble(), 0.05);
        Assert.Equal(0.79, idle.GetProperty("ratio").GetProperty("p50Us").GetDouble(), 0.005);
        JsonElement contention = root.GetProperty("configs").GetProperty("contention");
        Assert.Equal(95503, contention.GetProperty("measuredSamples").GetInt64());
        Assert.True(contention.GetProperty("simulatedSamples").GetInt64() > 100);
    }

    [Fact]
    public void Results_without_a_trace_use_the_profile_as_it_is()
    {
        using var folder = new TempFolder();
        string results = folder.Write("results.json", Results("null"));

        (int code, string output, string error) = Run("real-kernel", results, "--scenarios", Scenarios, "--duration", "10ms", "--set", "traffic.warmup=2ms");

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("the results carry no trace", output);
        Assert.Matches(@"idle +p50 +62\.4 +47\.3 +0\.76", output);
    }

    [Fact]
    public void A_configuration_without_a_scenario_is_one_line_naming_the_key_and_the_configurations_that_have_one()
    {
        using var folder = new TempFolder();
        string results = folder.Write("results.json", Results("null").Replace("\"contention\"", "\"busy-poll\"", StringComparison.Ordinal));
        string json = Path.Combine(folder.Path, "out.json");

        (int code, string output, string error) = Run("real-kernel", results, "--scenarios", Scenarios, "--json", json);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{results}: key 'configs.busy-poll': no scenario", line);
        Assert.Contains("contention, gro-contention, idle, threaded-napi, threaded-napi-idle", line);
        Assert.False(File.Exists(json));
    }

    [Theory]
    [InlineData("\"p99Us\": 1213.6, ", "configs.idle.p99Us", "is missing or not a number")]
    [InlineData("\"rateMps\": 10000, ", "rateMps", "is missing or not a number")]
    [InlineData("\"configs\"", "configs", "is missing: expected an object of configurations")]
    public void Malformed_results_are_one_line_naming_the_key(string cut, string key, string phrase)
    {
        using var folder = new TempFolder();
        string results = folder.Write("results.json", Results("null").Replace(cut, cut == "\"configs\"" ? "\"runs\"" : string.Empty, StringComparison.Ordinal));

        (int code, string output, string error) = Run("real-kernel", results, "--scenarios", Scenarios);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{results}: key '{key}' {phrase}", line);
    }
}
