using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Processing;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Kernel;

public class FairServerTests
{
    private static (HogThread Fair, RunQueue RunQueue) Starve(KernelVersion version, long untilAfterTick0Ns)
    {
        var sim = new Simulator(1);
        var processors = new[] { new Processor(sim, "cpu0", 0, CpuClass.Count) };
        var options = new KernelOptions { Version = version, OnlineCpus = 1, RtRuntimeNs = -1 };
        var kernel = new Kbp.Sim.Models.Kernel.Kernel(sim, "test", options, new KernelCosts(), processors);
        _ = new TimerTick(kernel.Cpus[0]);
        var rt = new HogThread(kernel.Cpus[0], "rt-hog", SchedPolicy.Fifo, 50);
        var fair = new HogThread(kernel.Cpus[0], "fair");
        long tick0 = kernel.JiffyStartNs(kernel.Jiffies + 1);
        sim.Schedule(tick0, _ => rt.Wake());
        sim.Schedule(tick0 + SimTime.FromMs(10), _ => fair.Wake());
        sim.Run(untilNs: tick0 + untilAfterTick0Ns);
        return (fair, kernel.Cpus[0].RunQueue);
    }

    /// <summary>
    /// By hand, RT throttling off (sched_rt_runtime_us = -1), so only the fair server can help.
    /// A SCHED_FIFO hog runs from 0; a fair thread wakes at 10 ms: dl_server_start, deadline
    /// 1,010 ms, runtime 50 ms, deferred to the zero-laxity time 960 ms. The fair thread runs
    /// from 960 ms until the deadline replenishes the server at 1,010 ms (50 ms), then waits for
    /// the next zero-laxity time, 2,010 − 50 = 1,960 ms, and runs 50 ms more. On 6.1, without
    /// the server, it never runs.
    /// </summary>
    [Fact]
    public void The_6_12_fair_server_gives_a_starved_fair_thread_50ms_per_second_against_RT_from_its_zero_laxity_time()
    {
        (HogThread before, _) = Starve(KernelVersion.V6_12, SimTime.FromUs(959_900));
        Assert.Equal(0, before.SumExecNs);

        (HogThread first, RunQueue rq1) = Starve(KernelVersion.V6_12, SimTime.FromMs(1_500));
        Assert.InRange(first.SumExecNs, SimTime.FromUs(49_900), SimTime.FromUs(50_100));
        Assert.Equal(1, rq1.FairServerBoosts);

        (HogThread second, RunQueue rq2) = Starve(KernelVersion.V6_12, SimTime.FromMs(2_050));
        Assert.InRange(second.SumExecNs, SimTime.FromUs(99_800), SimTime.FromUs(100_200));
        Assert.Equal(2, rq2.FairServerBoosts);
    }

    [Fact]
    public void Without_the_fair_server_6_1_starves_the_fair_thread_when_RT_throttling_is_off()
    {
        (HogThread fair, RunQueue rq) = Starve(KernelVersion.V6_1, SimTime.FromMs(2_050));

        Assert.Equal(0, fair.SumExecNs);
        Assert.Equal(0, rq.FairServerBoosts);
    }
}
