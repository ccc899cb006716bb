using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Explaining;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Explaining;

/// <summary>Each scenario in scenarios/teaching/ shows the mechanism its header claims.</summary>
public class TeachingScenarioTests
{
    private static StageWait Largest(Explanation e) =>
        e.Journeys[0].Stages.SelectMany(s => s.Waits).MaxBy(w => w.DelayNs)!;

    private static Explanation ExplainWorst(VmSpec spec, int count = 1) =>
        Explainer.Explain(spec, 1, Explainer.FindSlowest(spec, 1, 1, count));

    [Fact]
    public void Softirq_restart_limit_hands_NET_RX_to_ksoftirqd()
    {
        VmSpec spec = Repo.Vm(Repo.Teaching("softirq-restart-limit"), "traffic.duration=60ms");
        long endNs = LatencyRun.SettleNs + spec.Tester.WarmupNs + spec.Tester.DurationNs;
        Recording r = Explainer.Record(spec, 1, 0, [(LatencyRun.SettleNs, endNs)], _ => false, endNs);

        Assert.True(((VmTopology)r.Topology).Guest.Cpus[0].Softirq.DeferralsToKsoftirqd > 0);
        Assert.Contains(r.Timeline.Marks, m => m.Processor == "guest/vcpu0" && m.Context == "softirq:deferred" && m.Cause!.StartsWith("restart limit", StringComparison.Ordinal));
        Assert.Contains(r.Timeline.Vectors, v => v.Processor == "guest/vcpu0" && v.Context == "softirq:NET_RX"
            && r.Timeline.Slices.Any(s => s.Processor == "guest/vcpu0" && s.Context == "thread:ksoftirqd/0 (bh off)" && s.StartNs <= v.StartNs && v.StartNs < s.EndNs));
    }

    [Fact]
    public void Ksoftirqd_starved_by_an_RT_hog_delays_the_tail_with_the_hog_named()
    {
        Explanation e = ExplainWorst(Repo.Vm(Repo.Teaching("ksoftirqd-starved"), "traffic.duration=200ms"));
        StageWait w = Largest(e);

        Assert.Equal(WaitCause.SoftirqDeferred, w.Cause);
        Assert.True(w.DelayNs > SimTime.FromMs(1), $"{w.DelayNs} ns");
        Assert.Equal("rt-hog", w.Competitors[0].Name);
        Assert.Equal("RT", w.Competitors[0].Class);
        Assert.Contains("deferred to ksoftirqd/0, which was runnable behind 'rt-hog'", w.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void KBP_removes_the_deferral_under_the_same_hog()
    {
        VmSpec napi = Repo.Vm(Repo.Teaching("ksoftirqd-starved"), "traffic.duration=200ms");
        VmSpec kbp = Repo.Vm(Repo.Teaching("kbp-removes-deferral"), "traffic.duration=200ms");
        Explanation e = ExplainWorst(kbp, 5);

        Assert.Equal(Datapath.Kbp, kbp.Datapath);
        Assert.DoesNotContain(e.Journeys.SelectMany(j => j.Stages).SelectMany(s => s.Waits), w => w.Cause == WaitCause.SoftirqDeferred);
        long napiMax = LatencyRun.RunOne(napi, LatencyRun.RepetitionSeed(1, 0)).Tester.Latency.MaxNs;
        Assert.True(e.Journeys[0].Frame.RttNs < napiMax / 2, $"KBP {e.Journeys[0].Frame.RttNs} ns, NAPI {napiMax} ns");
    }

    [Fact]
    public void vCPU_preemption_stops_the_guest_behind_the_host_thread()
    {
        Explanation e = ExplainWorst(Repo.Vm(Repo.Teaching("vcpu-preemption"), "traffic.duration=100ms"));
        StageWait w = Largest(e);

        Assert.Equal(WaitCause.VcpuStopped, w.Cause);
        Assert.Equal("host-rt-hog", w.Competitors[0].Name);
        Assert.Equal("host/cpu4", w.Competitors[0].Processor);
        Assert.True(w.DelayNs > SimTime.FromMs(1));
    }

    [Fact]
    public void The_NIC_Rx_ring_overflows_under_bursts()
    {
        VmSpec spec = Repo.Vm(Repo.Teaching("nic-ring-overflow"), "traffic.duration=30ms");
        RepetitionResult r = LatencyRun.RunOne(spec, LatencyRun.RepetitionSeed(1, 0));

        Assert.Equal(64, spec.Nic.RxRingSize);
        Assert.True(r.Tester.LostAt(DropReason.NicRxRing) > 0);
        Assert.Equal(r.Tester.Lost, r.Tester.LostAt(DropReason.NicRxRing));
    }

    [Fact]
    public void The_timer_tick_competes_with_NET_RX()
    {
        Explanation e = ExplainWorst(Repo.Vm(Repo.Teaching("timer-tick-competition"), "traffic.duration=100ms"), 3);
        StageWait w = Largest(e);

        Assert.Equal(WaitCause.SoftirqCompetition, w.Cause);
        Assert.Contains(w.Competitors, c => c.Name == "hardIRQ timer");
    }

    [Fact]
    public void RT_throttling_stops_the_FIFO_busy_poll_thread_on_6_1_but_not_on_4_15()
    {
        string file = Repo.Teaching("rt-throttling");
        VmSpec throttled = Repo.Vm(file);
        VmSpec sharing = Repo.Vm(file, "kernel.version=4.15");
        RepetitionResult t = LatencyRun.RunOne(throttled, LatencyRun.RepetitionSeed(1, 0));
        RepetitionResult s = LatencyRun.RunOne(sharing, LatencyRun.RepetitionSeed(1, 0));

        // 950 ms of RT time per 1 s period, then 50 ms without the poller.
        Assert.True(t.Tester.Latency.MaxNs > SimTime.FromMs(20), $"max {t.Tester.Latency.MaxNs} ns");
        Assert.True(s.Tester.Latency.MaxNs < SimTime.FromMs(1), $"max {s.Tester.Latency.MaxNs} ns");

        var sim = new Simulator(LatencyRun.RepetitionSeed(1, 0));
        var topology = new VmTopology(sim, throttled);
        sim.Run(untilNs: LatencyRun.SettleNs);
        topology.Tester.Start();
        sim.Run(untilNs: SimTime.FromMs(1050));
        Assert.True(topology.Guest.Cpus[0].RunQueue.RtThrottleCount + topology.Host.Cpus[2].RunQueue.RtThrottleCount > 0);
    }
}
