using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Kernel;

/// <summary>select_idle_sibling for unbound daemons: they wake on their CPU only when it is idle.</summary>
public class UnboundDaemonTests
{
    private static InterferenceOptions Daemon(bool unbound) => new()
    {
        Name = unbound ? "unbound-daemon" : "kworker/0:1",
        Cpu = 0,
        PeriodNs = SimTime.FromMs(10),
        BurstNs = SimTime.FromUs(500),
        Wakeup = InterferenceWakeup.Hrtimer,
        Unbound = unbound,
    };

    [Fact]
    public void An_unbound_daemon_whose_cpu_is_busy_runs_elsewhere_and_takes_nothing_from_it()
    {
        var sim = new Simulator(1);
        Kbp.Sim.Models.Kernel.Kernel kernel = KernelFixture.NewKernel(sim, ticks: true);
        var hog = new HogThread(kernel.Cpus[0], "hog");
        hog.Wake();
        var daemon = new InterferenceThread(kernel.Cpus[0], Daemon(unbound: true));
        sim.Run(untilNs: SimTime.FromMs(200));

        Assert.Equal(0, daemon.SumExecNs);
    }

    [Fact]
    public void A_bound_kworker_on_the_same_busy_cpu_takes_its_bursts_there()
    {
        var sim = new Simulator(1);
        Kbp.Sim.Models.Kernel.Kernel kernel = KernelFixture.NewKernel(sim, ticks: true);
        var hog = new HogThread(kernel.Cpus[0], "hog");
        hog.Wake();
        var kworker = new InterferenceThread(kernel.Cpus[0], Daemon(unbound: false));
        sim.Run(untilNs: SimTime.FromMs(200));

        Assert.True(kworker.SumExecNs >= 15 * SimTime.FromUs(500), $"ran {kworker.SumExecNs} ns");
    }

    [Fact]
    public void An_unbound_daemon_wakes_on_its_cpu_when_that_cpu_is_idle()
    {
        var sim = new Simulator(1);
        Kbp.Sim.Models.Kernel.Kernel kernel = KernelFixture.NewKernel(sim, ticks: true);
        var daemon = new InterferenceThread(kernel.Cpus[0], Daemon(unbound: true));
        sim.Run(untilNs: SimTime.FromMs(200));

        Assert.True(daemon.SumExecNs >= 15 * SimTime.FromUs(500), $"ran {daemon.SumExecNs} ns");
    }
}
