using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Kernel;

public class EevdfPlaceLagTests
{
    /// <summary>
    /// PLACE_LAG by hand. One CPU (base slice 0.75 ms), HZ=250, times from a tick. A hog
    /// wakes at 0.1 ms on the idle CPU (vruntime 0, deadline 0.75 ms). A short sleeper wakes
    /// at 0.2 ms with no saved lag: placed at the average, the hog's 0.1 ms, and the hog keeps
    /// its protected slice until the 4 ms tick, where its vruntime, about 3.9 ms, is past its
    /// deadline; the sleeper (0.1 ≤ average 2 ms; the hog is not eligible) runs. It runs
    /// 100 µs of work (+ the 2 µs switch) and sleeps: vlag = average − vruntime ≈
    /// (3.9 + 0.202) / 2 − 0.202 ≈ 1.85 ms, under the ±4 ms clamp (max(2 · slice, tick)).
    /// Woken again at 4.5 ms, with the hog alone at vruntime v ≈ 4.3 ms, it is placed at
    /// v − 1.85 · (1 + 1) / 1 ≈ 0.6 ms: the hog (4.3 ms) is no longer eligible against the
    /// average (≈ 2.45 ms), so the sleeper preempts it at once. Without the lag it would be
    /// placed at 4.3 ms, eligible, and wait for the hog's protected slice.
    /// </summary>
    [Fact]
    public void A_short_sleeper_keeps_its_lag_and_preempts_the_hog_at_once_on_6_12()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, ticks: true, version: KernelVersion.V6_12);
        KernelCpu cpu = kernel.Cpus[0];
        var hog = new HogThread(cpu, "hog");
        var sleeper = new ShortSleeper(cpu, 100_000);
        long tick0 = kernel.JiffyStartNs(kernel.Jiffies + 1);
        sim.Schedule(tick0 + SimTime.FromUs(100), _ => hog.Wake());
        sim.Schedule(tick0 + SimTime.FromUs(200), _ => sleeper.Wake());
        long secondWakeNs = tick0 + SimTime.FromUs(4_500);
        long lagNs = 0, hogNs = 0, placedNs = 0;
        sim.Schedule(secondWakeNs, _ =>
        {
            // Neither thread's vruntime moved since the sleeper blocked (the hog took no tick since).
            lagNs = ((hog.VruntimeNs + sleeper.VruntimeNs) / 2) - sleeper.VruntimeNs;
            sleeper.Wake();
            hogNs = hog.VruntimeNs;
            placedNs = sleeper.VruntimeNs;
        });
        sim.Run(untilNs: tick0 + SimTime.FromMs(6));

        Assert.Equal(2, sleeper.Runs.Count);
        Assert.InRange(sleeper.Runs[0], tick0 + SimTime.FromMs(4), tick0 + SimTime.FromMs(4) + SimTime.FromUs(20));
        Assert.InRange(lagNs, SimTime.FromUs(1_800), SimTime.FromUs(1_900));
        Assert.Equal(hogNs - (2 * lagNs), placedNs);
        Assert.InRange(sleeper.Runs[1], secondWakeNs, secondWakeNs + SimTime.FromUs(10));
    }

    /// <summary>Runs a burst each time it is woken, then sleeps; records when each burst began.</summary>
    private sealed class ShortSleeper : KThread
    {
        private readonly long _burstNs;
        private bool _burstDone;

        public ShortSleeper(KernelCpu cpu, long burstNs)
            : base(cpu, "sleeper", SchedPolicy.Fair, 0, userMode: true)
        {
            _burstNs = burstNs;
        }

        public List<long> Runs { get; } = [];

        protected override void Run()
        {
            if (_burstDone)
            {
                _burstDone = false;
                Sleep();
                return;
            }

            Runs.Add(Cpu.Kernel.Sim.NowNs);
            Execute(_burstNs, () =>
            {
                _burstDone = true;
                Run();
            });
        }
    }
}
