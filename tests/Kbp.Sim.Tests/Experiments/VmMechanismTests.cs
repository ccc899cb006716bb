using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Experiments;

/// <summary>Small deterministic scenarios, one mechanism each, through the whole VM path.</summary>
public class VmMechanismTests
{
    private static VmSpec Spec(SchedPolicy vcpuPolicy, IReadOnlyList<InterferenceOptions> hostLoad, Datapath datapath = Datapath.Napi) => new()
    {
        Datapath = datapath,
        VcpuPolicy = vcpuPolicy,
        VcpuPriority = 60,
        GuestAppCpu = 1,
        HostInterference = hostLoad,
        Tester = new TesterOptions { RateBps = 80e6, RateIsL1 = false, FrameBytes = 512, DurationNs = SimTime.FromMs(200), WarmupNs = SimTime.FromMs(10) },
    };

    private static readonly InterferenceOptions HostHogOnVcpu0 = new()
    {
        Name = "host-rt-hog",
        Cpu = 4,
        Policy = SchedPolicy.Fifo,
        Priority = 50,
        PeriodNs = SimTime.FromMs(20),
        BurstNs = SimTime.FromMs(3),
    };

    [Fact]
    public void A_guest_whose_vcpu_thread_is_preempted_on_the_host_delays_packets_for_the_stop()
    {
        RepetitionResult r = LatencyRun.RunOne(Spec(SchedPolicy.Fair, [HostHogOnVcpu0]), 1);

        Assert.True(r.Tester.Latency.MaxNs > SimTime.FromMs(1), $"max {r.Tester.Latency.MaxNs}");
        SlowFrame worst = r.Slowest.MaxBy(f => f.RttNs)!;
        long stopped = worst.WaitNsByCause[(int)WaitCause.VcpuStopped];
        Assert.True(stopped > worst.RttNs / 2, $"vCPU stop {stopped} of {worst.RttNs}: {string.Join(", ", worst.WaitNsByCause)}");

        // The stages where the frames stalled name the same mechanism.
        long stagesStoppedAbove1ms = r.StageCausesAbove1ms.Sum(counts => counts[(int)WaitCause.VcpuStopped]);
        Assert.True(stagesStoppedAbove1ms > 0);
    }

    [Fact]
    public void A_vcpu_thread_above_the_competitor_in_RT_priority_is_not_stopped()
    {
        RepetitionResult r = LatencyRun.RunOne(Spec(SchedPolicy.Fifo, [HostHogOnVcpu0]), 1);
        Assert.True(r.Tester.Latency.MaxNs < SimTime.FromUs(300), $"max {r.Tester.Latency.MaxNs}");
    }

    [Fact]
    public void KBP_keeps_NET_RX_out_of_both_kernels()
    {
        var sim = new Simulator(3);
        var topology = new VmTopology(sim, Spec(SchedPolicy.Fifo, [], Datapath.Kbp));
        sim.Run(untilNs: SimTime.FromMs(5));
        topology.Tester.Start();
        bool raised = false;
        sim.Run(untilNs: topology.Tester.EndNs, stopWhen: () =>
            raised |= topology.Guest.Cpus[0].Softirq.IsPending(SoftirqVector.NetRx) || topology.Host.Cpus[2].Softirq.IsPending(SoftirqVector.NetRx));

        Assert.False(raised);
        Assert.True(topology.Tester.Result().Received > 1000);
        Assert.True(topology.GuestKbp!.Threads[0].Polls > 1000);
        Assert.True(topology.HostKbp!.Threads[2].Polls > 1000);
    }

    [Fact]
    public void OvS_DPDK_polls_the_NIC_and_vhost_user_without_host_softirqs_or_vhost_net()
    {
        var sim = new Simulator(3);
        var topology = new VmTopology(sim, Spec(SchedPolicy.Fifo, [], Datapath.OvsDpdk));
        sim.Run(untilNs: SimTime.FromMs(5));
        topology.Tester.Start();
        bool hostNetRx = false;
        sim.Run(untilNs: topology.Tester.EndNs, stopWhen: () =>
            hostNetRx |= topology.Host.Cpus.Any(cpu => cpu.Softirq.IsPending(SoftirqVector.NetRx)));
        sim.Run(untilNs: topology.Tester.EndNs + LatencyRun.DrainNs);

        Assert.False(hostNetRx);
        Assert.Null(topology.Vhost);
        Assert.Equal(topology.Tester.Result().Sent, topology.Tester.Result().Received);
        Assert.Equal(0, topology.Nic.RxQueue.Interrupts.Value);
        Assert.Equal(0, topology.GuestTx.Kicks);
        Assert.True(topology.Pmds[0].Packets > 1000, $"NIC PMD {topology.Pmds[0].Packets}");
        Assert.True(topology.Pmds[1].Packets > 1000, $"vhost-user PMD {topology.Pmds[1].Packets}");
    }

    [Fact]
    public void OvS_DPDK_is_faster_on_average_than_vhost_net_with_KBP()
    {
        RepetitionResult ovs = LatencyRun.RunOne(Spec(SchedPolicy.Fifo, [], Datapath.OvsDpdk), 1);
        RepetitionResult kbp = LatencyRun.RunOne(Spec(SchedPolicy.Fifo, [], Datapath.Kbp), 1);

        Assert.True(ovs.Tester.Latency.MeanNs < kbp.Tester.Latency.MeanNs, $"OvS-DPDK {ovs.Tester.Latency.MeanNs} ns, KBP {kbp.Tester.Latency.MeanNs} ns");
    }

    [Fact]
    public void OvS_DPDK_drops_at_the_guest_ring_when_the_guest_stops_taking_frames()
    {
        // vCPU 0 (the virtio IRQ CPU) is preempted on the host for 3 ms at a time: at
        // 244 kframes/s the PMD keeps delivering and, with no queue in front of the
        // 256-entry ring, drops; vhost-net on the same stops has the tap queue to fill first.
        VmSpec stopped = Spec(SchedPolicy.Fair, [HostHogOnVcpu0], Datapath.OvsDpdk);
        VmSpec spec = stopped with { Tester = stopped.Tester with { RateBps = 1e9 } };
        RepetitionResult r = LatencyRun.RunOne(spec, 1);

        Assert.True(r.Tester.LostAt(DropReason.Virtqueue) > 0, $"lost {r.Tester.Lost}: {string.Join(", ", r.Tester.LostByReason)}");
        Assert.Equal(0, r.Tester.LostAt(DropReason.NicRxRing));
    }

    [Fact]
    public void One_way_traffic_ends_at_the_guest_application_and_measures_only_the_receive_path()
    {
        VmSpec echo = Spec(SchedPolicy.Fifo, []);
        VmSpec oneWay = echo with { Tester = echo.Tester with { Mode = TesterMode.OneWay } };
        RepetitionResult r = LatencyRun.RunOne(oneWay, 1);
        RepetitionResult e = LatencyRun.RunOne(echo, 1);

        Assert.Equal(r.Tester.Sent, r.Tester.Received);
        Assert.True(r.Tester.Latency.MaxNs < e.Tester.Latency.MinNs, "one way is shorter than any round trip");
        Assert.True(r.Stages.Single(s => s.Name == "rxg0-rxg1").Count > 0);
        Assert.Equal(0, r.Stages.Single(s => s.Name == "txg0-txg1").Count);
    }
}
