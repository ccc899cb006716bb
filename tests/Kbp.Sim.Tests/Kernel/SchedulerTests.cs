using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Kernel;

public class SchedulerTests
{
    [Fact]
    public void Two_fair_hogs_share_a_cpu_equally_in_tick_quantised_slices()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, ticks: true);
        var a = new HogThread(kernel.Cpus[0], "a");
        var b = new HogThread(kernel.Cpus[0], "b");
        a.Wake();
        b.Wake();
        sim.Run(untilNs: SimTime.FromS(2));

        double share = a.SumExecNs / (double)(a.SumExecNs + b.SumExecNs);
        Assert.InRange(share, 0.45, 0.55);

        // With one CPU, latency 6 ms: 3 ms slices, ended only on 4 ms ticks.
        long switches = kernel.Cpus[0].RunQueue.ContextSwitches;
        Assert.InRange(switches, SimTime.FromS(2) / SimTime.FromMs(9), SimTime.FromS(2) / SimTime.FromMs(3));
    }

    [Fact]
    public void A_fifo_thread_beats_fair_threads()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, ticks: true, version: KernelVersion.V4_15);
        var fair = new HogThread(kernel.Cpus[0], "fair");
        var fifo = new HogThread(kernel.Cpus[0], "fifo", SchedPolicy.Fifo, 50);
        fair.Wake();
        sim.Run(untilNs: SimTime.FromMs(10));
        fifo.Wake();
        sim.Run(untilNs: SimTime.FromS(1));

        // 4.15 borrows RT runtime (RT_RUNTIME_SHARE): the FIFO thread is never throttled.
        Assert.True(fair.SumExecNs < SimTime.FromMs(11), $"fair ran {fair.SumExecNs}");
    }

    [Fact]
    public void RT_throttling_leaves_fair_threads_5_percent_on_6_1()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, ticks: true, version: KernelVersion.V6_1);
        var fair = new HogThread(kernel.Cpus[0], "fair");
        var fifo = new HogThread(kernel.Cpus[0], "fifo", SchedPolicy.Fifo, 50);
        fair.Wake();
        fifo.Wake();
        sim.Run(untilNs: SimTime.FromS(3));

        double fairShare = fair.SumExecNs / (double)SimTime.FromS(3);
        Assert.InRange(fairShare, 0.03, 0.08);
        Assert.True(kernel.Cpus[0].RunQueue.ContextSwitches >= 4);
    }

    [Fact]
    public void A_long_sleeper_preempts_a_hog_on_wakeup()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, cpus: 8, ticks: true);
        var hog = new HogThread(kernel.Cpus[0], "hog");
        hog.Wake();
        sim.Run(untilNs: SimTime.FromMs(100));
        var sleeper = new HogThread(kernel.Cpus[0], "sleeper");
        long wokenAt = sim.NowNs;
        sleeper.Wake();
        sim.Run(untilNs: wokenAt + SimTime.FromMs(1));

        // Sleeper credit (latency/2 = 12 ms with 8 CPUs) beats wakeup_granularity (4 ms).
        Assert.Same(sleeper, kernel.Cpus[0].RunQueue.Current);
    }

    /// <summary>
    /// The same competing load, by hand. One CPU (scaling factor 1): CFS latency 6 ms,
    /// min granularity 0.75 ms, wakeup granularity 1 ms; EEVDF base slice 0.75 ms; ticks at
    /// multiples of 4 ms (HZ=250), times below counted from a tick. A hog wakes at 1.5 ms on
    /// an idle CPU, a second thread at 1.7 ms.
    /// CFS (4.15): the newcomer is placed at min_vruntime − 3 ms, clamped to its own 0, so
    /// the hog leads it by only 0.2 ms &lt; 1 ms: no wakeup preemption. At the 4 ms tick the
    /// hog has run 2.5 ms, under its 3 ms slice (6 ms / 2) and leads by 2.5 ms &lt; 3 ms: it
    /// keeps the CPU; at the 8 ms tick it has run 6.5 ms &gt; 3 ms: the newcomer runs at 8 ms.
    /// EEVDF (6.12): the newcomer is placed at the average vruntime (0.2 ms) and is eligible,
    /// but RUN_TO_PARITY protects the hog's first slice (deadline 0.75 ms). At the 4 ms tick
    /// the hog's vruntime (2.5 ms) is past its deadline: protection ends, and the newcomer,
    /// eligible (0.2 ≤ 1.35 ms average) with the earlier deadline, runs at 4 ms.
    /// </summary>
    [Theory]
    [InlineData(KernelVersion.V4_15, 8.0)]
    [InlineData(KernelVersion.V6_12, 4.0)]
    public void A_woken_thread_waits_for_the_hogs_slice_as_CFS_and_EEVDF_each_compute_it(KernelVersion version, double runsAtMs)
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, ticks: true, version: version);
        var hog = new HogThread(kernel.Cpus[0], "hog");
        var newcomer = new FirstRunThread(kernel.Cpus[0]);
        long tick0 = kernel.JiffyStartNs(kernel.Jiffies + 1);   // the jiffy phase is random per kernel
        sim.Schedule(tick0 + SimTime.FromUs(1_500), _ => hog.Wake());
        sim.Schedule(tick0 + SimTime.FromUs(1_700), _ => newcomer.Wake());
        sim.Run(untilNs: tick0 + SimTime.FromMs(12));

        // Tick handling and the switch add a few microseconds.
        long expectedNs = tick0 + SimTime.FromUs((long)(runsAtMs * 1_000));
        Assert.InRange(newcomer.FirstRunNs, expectedNs, expectedNs + SimTime.FromUs(20));
    }

    private sealed class FirstRunThread : KThread
    {
        public FirstRunThread(KernelCpu cpu)
            : base(cpu, "newcomer", SchedPolicy.Fair, 0, userMode: true)
        {
        }

        public long FirstRunNs { get; private set; } = -1;

        protected override void Run()
        {
            if (FirstRunNs < 0)
            {
                FirstRunNs = Cpu.Kernel.Sim.NowNs;
            }

            Execute(100_000, Run);
        }
    }
}

public class InterferenceTests
{
    [Theory]
    [InlineData(InterferenceWakeup.Hrtimer, 600, 700)]
    [InlineData(InterferenceWakeup.TimerWheel, 240, 260)]
    public void A_timer_wheel_sleep_ends_on_a_jiffy_and_an_hrtimer_sleep_at_its_time(InterferenceWakeup wakeup, int minRuns, int maxRuns)
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, ticks: true);
        var thread = new InterferenceThread(kernel.Cpus[0], new InterferenceOptions
        {
            Name = "daemon",
            Cpu = 0,
            PeriodNs = 1_500_000,
            BurstNs = 10_000,
            Wakeup = wakeup,
        });
        sim.Run(untilNs: Kbp.Sim.Time.SimTime.FromS(1));

        // 1.5 ms sleeps: about 666 per second on an hrtimer; rounded up to the next
        // 4 ms jiffy on the timer wheel, about 250.
        // Each run is its burst plus the context switch charged to it.
        long runs = thread.SumExecNs / (10_000 + new KernelCosts().ContextSwitchNs);
        Assert.InRange(runs, minRuns, maxRuns);
    }
}
