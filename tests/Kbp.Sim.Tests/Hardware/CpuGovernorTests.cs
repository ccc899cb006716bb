using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Processing;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Hardware;

public class CpuGovernorTests
{
    private const long Ms = SimTime.NsPerMs;

    [Fact]
    public void Ondemand_jumps_to_full_speed_under_load_then_follows_the_load_down_when_idle()
    {
        var sim = new Simulator(1);
        var cpu = new Processor(sim, "host/cpu0", 0, classCount: 1);
        var governor = new CpuGovernor(sim, new CpuGovernorOptions { InitialSpeedFactor = 0.6 }, cpu);
        var busyLoop = new WorkItem("thread:load", 0);
        var speeds = new List<(long AtNs, double Speed)>();

        governor.Start();
        Assert.Equal(0.6, cpu.SpeedFactor);
        cpu.Submit(busyLoop, WorkItem.Unbounded);
        sim.Schedule(20 * Ms, _ => cpu.Withdraw(busyLoop));
        for (long t = 8 * Ms; t <= 32 * Ms; t += 8 * Ms)
        {
            sim.Schedule(t + 1, _ => speeds.Add((sim.NowNs - 1, cpu.SpeedFactor)));
        }

        sim.Run(40 * Ms);

        // Samples every 8 ms: 100% (> up_threshold 80) → max; 100%; 50% → 0.6 + 0.5 · 0.4; 0% → min.
        Assert.Equal(
            [(8 * Ms, 1.0), (16 * Ms, 1.0), (24 * Ms, 0.8), (32 * Ms, 0.6)],
            speeds.Select(s => (s.AtNs, Math.Round(s.Speed, 9))));
        Assert.Equal(0, governor.LastLoadPercent);
        Assert.Equal(5, governor.Samples);
    }

    [Fact]
    public void Performance_pins_full_speed_and_never_samples()
    {
        var sim = new Simulator(1);
        var cpu = new Processor(sim, "host/cpu0", 0, classCount: 1) { SpeedFactor = 0.5 };
        var governor = new CpuGovernor(sim, new CpuGovernorOptions { Policy = GovernorPolicy.Performance }, cpu);
        governor.Start();
        sim.Run(100 * Ms);

        Assert.Equal(1.0, cpu.SpeedFactor);
        Assert.Equal(0, governor.Samples);
    }

    [Fact]
    public void A_policy_of_several_cpus_follows_the_busiest()
    {
        var sim = new Simulator(1);
        var idle = new Processor(sim, "host/cpu0", 0, classCount: 1);
        var busy = new Processor(sim, "host/cpu1", 1, classCount: 1);
        var governor = new CpuGovernor(sim, new CpuGovernorOptions { InitialSpeedFactor = 0.6 }, idle, busy);
        governor.Start();
        busy.Submit(new WorkItem("thread:load", 0), WorkItem.Unbounded);
        sim.Run(8 * Ms);

        Assert.Equal(100, governor.LastLoadPercent);
        Assert.Equal(1.0, idle.SpeedFactor);
        Assert.Equal(1.0, busy.SpeedFactor);
    }
}
