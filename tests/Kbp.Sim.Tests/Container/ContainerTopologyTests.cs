using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Explaining;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Container;

public class ContainerTopologyTests
{
    private static VmSpec Spec(Datapath datapath, Topology topology = Topology.Docker, IReadOnlyList<InterferenceOptions>? load = null) => new()
    {
        Topology = topology,
        Datapath = datapath,
        HostKbp = new KbpOptions { Cpus = [2] },
        HostInterference = load ?? [],
        Tester = new TesterOptions { RateBps = 100e6, RateIsL1 = false, FrameBytes = 512, DurationNs = SimTime.FromMs(200), WarmupNs = SimTime.FromMs(10) },
    };

    [Fact]
    public void Frames_go_through_the_NIC_poll_the_backlog_of_the_polling_cpu_and_back_through_the_app_cpus_backlog()
    {
        var sim = new Simulator(1);
        var topology = new ContainerTopology(sim, Spec(Datapath.Napi));
        sim.Run(untilNs: SimTime.FromMs(5));
        topology.Tester.Start();
        sim.Run(untilNs: topology.Tester.EndNs + LatencyRun.DrainNs);

        TesterResult t = topology.Tester.Result();
        Assert.Equal(t.Sent, t.Received);
        Assert.True(topology.Host.Cpus[2].Backlog.Napi.Packets >= t.Received, "ingress backlog on the NIC's CPU");
        Assert.True(topology.Host.Cpus[4].Backlog.Napi.Packets >= t.Received, "egress backlog on the application's CPU");
        Assert.Equal(0, topology.Host.Cpus[3].Backlog.Napi.Polls);
    }

    [Fact]
    public void With_KBP_in_the_host_the_NIC_napi_is_polled_by_KBP_while_the_backlog_still_raises_NET_RX()
    {
        var sim = new Simulator(1);
        var topology = new ContainerTopology(sim, Spec(Datapath.Kbp));
        sim.Run(untilNs: SimTime.FromMs(5));
        topology.Tester.Start();
        bool netRxOnKbpCpu = false;
        sim.Run(untilNs: topology.Tester.EndNs, stopWhen: () => netRxOnKbpCpu |= topology.Host.Cpus[2].Softirq.IsPending(SoftirqVector.NetRx));
        sim.Run(untilNs: topology.Tester.EndNs + LatencyRun.DrainNs);

        Assert.True(netRxOnKbpCpu);
        Assert.True(topology.HostKbp!.Threads[2].Polls > 100);
        Assert.True(topology.NicDriver.Napi.Polls > 100);
        Assert.True(topology.Host.Cpus[2].Backlog.Napi.Polls > 100);
        Assert.DoesNotContain(topology.HostKbp.Threads[2].PollList, n => n.IsBacklog);
    }

    [Fact]
    public void With_KBP_in_a_container_host_a_deferral_to_ksoftirqd_strands_the_backlog_behind_the_busy_poll_thread()
    {
        // The model's prediction for the paper's (e) and (g): the ingress backlog is on the
        // KBP CPU; a softIRQ run there that overruns its jiffy wakes ksoftirqd, which the
        // FIFO busy-poll thread never lets run (4.15: RT_RUNTIME_SHARE, no throttling), so
        // NET_RX for the backlog is deferred for good and the backlog overflows.
        var sim = new Simulator(1);
        VmSpec spec = Spec(Datapath.Kbp);
        var topology = new ContainerTopology(sim, spec with { Tester = spec.Tester with { RateBps = 1e9, FrameBytes = 1518, DurationNs = SimTime.FromMs(1_000) } });
        sim.Run(untilNs: SimTime.FromMs(5));
        topology.Tester.Start();
        sim.Run(untilNs: topology.Tester.EndNs + LatencyRun.DrainNs);

        KernelCpu kbpCpu = topology.Host.Cpus[2];
        Assert.True(kbpCpu.Softirq.DeferralsToKsoftirqd > 0, $"deferrals {kbpCpu.Softirq.DeferralsToKsoftirqd}, ksoftirqd {kbpCpu.Ksoftirqd.State}, backlog drops {kbpCpu.Backlog.Dropped}");
        Assert.Equal(TaskState.Runnable, kbpCpu.Ksoftirqd.State);
        Assert.True(kbpCpu.Backlog.Dropped > 0);
        Assert.True(topology.Tester.Result().LostAt(DropReason.Backlog) > 0);
    }

    [Fact]
    public void A_node_daemon_hogging_the_packet_cpu_delays_frames_through_ksoftirqds_wait()
    {
        // A daemon with long bursts on the NIC's CPU: softIRQ work that overruns its jiffy is
        // handed to ksoftirqd, which then waits behind the daemon (CFS), with the backlog.
        var daemon = new InterferenceOptions { Name = "kube-scheduler", Cpu = 2, PeriodNs = SimTime.FromMs(20), BurstNs = SimTime.FromMs(12) };
        VmSpec spec = Spec(Datapath.Napi, Topology.KubernetesPod, [daemon]);
        spec = spec with { Tester = spec.Tester with { RateBps = 1e9 } };
        RepetitionResult r = LatencyRun.RunOne(spec, 3);

        SlowFrame worst = r.Slowest.MaxBy(f => f.RttNs)!;
        Assert.True(worst.RttNs > SimTime.FromMs(1), $"worst {worst.RttNs} ns");
        long deferred = worst.WaitNsByCause[(int)WaitCause.SoftirqDeferred];
        Assert.True(deferred > worst.RttNs / 2, $"deferred {deferred} of {worst.RttNs}: {string.Join(", ", worst.WaitNsByCause)}");

        // The explanation of the slowest frame names the daemon ksoftirqd waited behind.
        IReadOnlyList<FrameRef> slowest = Explainer.FindSlowest(spec, 1, 3, 1);
        Explanation e = Explainer.Explain(spec, 3, slowest);
        StageWait deferral = e.Journeys[0].Stages.SelectMany(s => s.Waits)
            .Where(w => w.Cause == WaitCause.SoftirqDeferred)
            .MaxBy(w => w.DelayNs)!;
        Assert.True(deferral.DelayNs > SimTime.FromUs(100), $"deferred {deferral.DelayNs} ns");
        var nodeDaemons = KubernetesNode.Daemons(2).Select(d => d.Name).Append(daemon.Name).ToHashSet();
        string holder = deferral.Competitors[0].Name;
        Assert.Contains(holder, nodeDaemons);
        Assert.Contains($"'{holder}'", deferral.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void OvS_DPDK_is_refused_for_a_container()
    {
        Assert.Throws<ArgumentException>(() => new ContainerTopology(new Simulator(1), Spec(Datapath.OvsDpdk)));
    }
}
