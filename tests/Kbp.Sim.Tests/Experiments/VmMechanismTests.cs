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
