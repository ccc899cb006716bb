using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Tests.Contract;

namespace Kbp.Sim.Tests.Topologies;

public class BareMetalVethTopologyTests
{
    private static (RepetitionResult Result, BareMetalVethTopology Topology) Run(string config, params string[] sets)
    {
        string path = RepositoryFiles.PathOf("scenarios", "real-kernel", config + ".yaml");
        ScenarioSpec scenario = ScenarioLoader.Load(path, null, ["traffic.duration=30ms", "traffic.warmup=5ms", .. sets]);
        BareMetalVethTopology? topology = null;
        RepetitionResult result = LatencyRun.RunOne(VmScenario.ToVmSpec(scenario), 1, inspect: t => topology = (BareMetalVethTopology)t);
        return (result, topology!);
    }

    private static void AssertConserved(TesterResult t)
    {
        Assert.Equal(t.Offered, t.Sent);
        Assert.Equal(t.Sent, t.Received + t.Lost + t.InFlight);
        Assert.True(t.Received > 0);
        Assert.Equal(0, t.Lost);
        Assert.Equal(0, t.InFlight);
    }

    /// <summary>
    /// Idle, by hand (the profile's costs): the client's sendto 1.9 + veth_xmit 0.2, NET_RX on
    /// its CPU (softirq entry 0.1 + receive 6.9 + waking the server 1) = 8 µs; the server's
    /// idle CPU is reached 6.7 µs later, switch 6.3, recvfrom 0.57, sendto 1.9, veth_xmit 0.2,
    /// NET_RX from the backlog 8; the client's idle CPU 6.7 + 6.3, recvfrom 0.57: 47.34 µs.
    /// </summary>
    [Fact]
    public void Idle_round_trip_is_the_sum_of_the_veth_path_costs_and_every_message_returns()
    {
        (RepetitionResult r, BareMetalVethTopology topology) = Run("idle");

        AssertConserved(r.Tester);
        Assert.Equal(47_340, r.Tester.Latency.MinNs);
        Assert.Equal(47_340, r.Tester.Latency.PercentileNs(50), 0.001 * 47_340);

        // A tick (its hardIRQ and softIRQs) on the path adds a few µs now and then.
        Assert.InRange(r.Tester.Latency.MaxNs, 47_340, 57_340);
        Assert.Equal(r.Tester.Received + r.Tester.WarmupReceived, topology.Client.Received);
        Assert.Equal(2 * topology.Client.Received, topology.IdleWakeup.IdleWakeups);
    }

    [Fact]
    public void Without_the_idle_wakeup_the_round_trip_is_two_wakeups_shorter()
    {
        (RepetitionResult r, _) = Run("idle", "bareMetalVeth.idleWakeup=0us");

        Assert.Equal(47_340 - (2 * 6_700), r.Tester.Latency.MinNs);
    }

    [Fact]
    public void With_GRO_the_request_goes_through_the_server_veths_napi_on_the_client_cpu_and_the_reply_through_the_backlog()
    {
        (RepetitionResult r, BareMetalVethTopology topology) = Run("gro-contention");

        AssertConserved(r.Tester);
        Assert.NotNull(topology.ServerRq);
        Assert.Equal(0, topology.ServerRq.Napi.Cpu.Id);
        Assert.Equal(topology.Client.Sent, topology.ServerRq.Napi.Packets);
        Assert.Equal(0, topology.Host.Cpus[0].Backlog.Napi.Packets);
        Assert.Equal(topology.Client.Received, topology.Host.Cpus[1].Backlog.Napi.Packets);
    }

    [Fact]
    public void Threaded_napi_polls_the_server_veth_in_its_kernel_thread()
    {
        (RepetitionResult r, BareMetalVethTopology topology) = Run("threaded-napi-idle");

        AssertConserved(r.Tester);
        NapiThread thread = Assert.Single(Assert.IsType<ThreadedNapiScheduler>(topology.Host.NapiScheduler).Threads);
        Assert.Equal(0, thread.Cpu.Id);
        Assert.True(thread.Polls >= topology.Client.Sent, $"{thread.Polls} polls for {topology.Client.Sent} messages");
    }

    /// <summary>
    /// Contention: the server's CPU is never idle (no 6.7 µs idle wakeup there), and under
    /// EEVDF with PLACE_LAG the server, a short sleeper, mostly preempts stress-ng at once:
    /// 47.34 − 6.7 = 40.64 µs; now and then its lag runs out and it waits for the hog's slice.
    /// </summary>
    [Fact]
    public void Under_contention_the_server_mostly_preempts_the_cpu_hog_and_nothing_is_lost()
    {
        (RepetitionResult r, _) = Run("contention", "traffic.duration=100ms");

        AssertConserved(r.Tester);
        Assert.InRange(r.Tester.Latency.PercentileNs(50), 40_600, 40_700);
        Assert.True(r.Tester.Latency.MaxNs > 1_000_000, $"max {r.Tester.Latency.MaxNs} ns: no wait for the hog's slice");
    }
}
