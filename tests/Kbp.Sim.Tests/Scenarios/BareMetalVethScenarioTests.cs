using Kbp.Sim.Cli;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Tests.Scenarios;

/// <summary>The keys of topology bare-metal-veth: a good file binds; each bad one is one line naming the file, the key and what is allowed.</summary>
public class BareMetalVethScenarioTests
{
    private const string Good = """
        topology: bare-metal-veth
        datapath: napi
        kernel: { version: "6.12" }
        host: { cpus: 2 }
        bareMetalVeth: { clientCpu: 0, serverCpu: 1, gro: false, stressCpus: [1], idleWakeup: 11us }
        traffic: { messageRate: 10000, messageSize: 64B, duration: 1s, warmup: 0s, repetitions: 1 }
        """;

    [Fact]
    public void A_bare_metal_veth_scenario_binds_sockperfs_messages_as_frames_with_their_headers()
    {
        using var folder = new TempFolder();
        ScenarioSpec s = ScenarioLoader.Load(folder.Write("good.yaml", Good), null, []);

        Assert.Equal(Topology.BareMetalVeth, s.Topology);
        Assert.Equal(10_000, s.Traffic.MessagesPerSecond);
        Assert.Equal(64, s.Traffic.MessageBytes);
        Assert.Equal(64 + 42, s.Traffic.FrameBytes);
        Assert.Equal(10_000.0, s.Traffic.FramesPerSecond, 6);
        Assert.Equal([1], s.BareMetalVeth.StressCpus);
        Assert.Equal(11_000, s.BareMetalVeth.IdleWakeupNs);
        BareMetalVethOptions o = VmScenario.ToVmSpec(s).BareMetalVeth;
        Assert.Equal(1, o.ServerCpu);
    }

    /// <summary>A replacement of one line of the good file, the key the message must name, a phrase it must contain.</summary>
    public static readonly TheoryData<string, string, string, string> Bad = new()
    {
        { "clientCpu: 0", "clientCpu: 2", "bareMetalVeth.clientCpu", "keys 'bareMetalVeth.clientCpu' and 'host.cpus': CPU 2 is out of range: host.cpus is 2, so host CPUs are 0-1" },
        { "serverCpu: 1", "serverCpu: 0", "bareMetalVeth.serverCpu", "client and server are both on CPU 0" },
        { "stressCpus: [1]", "stressCpus: [3]", "bareMetalVeth.stressCpus", "CPU 3 (in 3) is out of range: host.cpus is 2" },
        { "gro: false", "gro: maybe", "bareMetalVeth.gro", "value 'maybe' is invalid: expected true or false" },
        { "idleWakeup: 11us", "idleWakeup: 11", "bareMetalVeth.idleWakeup", "value '11' is invalid: expected a duration" },
        { "datapath: napi", "datapath: threaded-napi", "datapath", "datapath threaded-napi needs bareMetalVeth.gro: true" },
        { "datapath: napi", "datapath: kbp", "datapath", "topology bare-metal-veth runs datapath napi or threaded-napi (threaded=1 on the server's veth), not kbp" },
        { "messageRate: 10000", "messageRate: 0", "traffic.messageRate", "value '0' is invalid: expected an integer from 1 to 10000000" },
        { "messageSize: 64B", "messageSize: 64B, rate: 1Gbps", "traffic.rate", "unknown key 'traffic.rate' (allowed here: mode, messageRate, messageSize," },
        { "repetitions: 1", "repetitions: 1, pattern: poisson", "traffic.pattern", "traffic.pattern must be cbr for topology bare-metal-veth, not poisson" },
        { "bareMetalVeth: {", "bareMetalVeth: { cpu: 1,", "bareMetalVeth.cpu", "unknown key 'bareMetalVeth.cpu' (allowed here: clientCpu, serverCpu, gro, stressCpus, idleWakeup)" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Each_bad_key_gives_one_line_naming_the_file_the_key_and_what_is_allowed(string good, string bad, string keyPath, string phrase)
    {
        using var folder = new TempFolder();
        Assert.Contains(good, Good);
        string path = folder.Write("bad.yaml", Good.Replace(good, bad, StringComparison.Ordinal));

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path, null, []));

        Assert.DoesNotContain('\n', e.OneLine);
        Assert.Contains(path, e.OneLine);
        Assert.Contains($"'{keyPath}'", e.OneLine);
        Assert.Contains(phrase, e.OneLine);
    }

    [Fact]
    public void Run_refuses_a_bad_key_with_exit_2_and_one_line()
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.yaml", Good.Replace("clientCpu: 0", "clientCpu: 7", StringComparison.Ordinal));
        var output = new StringWriter();
        var error = new StringWriter();

        int code = KbpSimCommand.Run(["run", path], output, error);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output.ToString());
        string line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{path}: keys 'bareMetalVeth.clientCpu' and 'host.cpus': CPU 7 is out of range", line);
    }
}
