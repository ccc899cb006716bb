using Kbp.Sim.Models.Kernel;

namespace Kbp.Sim.Tests.Kernel;

public class SoftirqTests
{
    [Fact]
    public void NET_RX_runs_at_irq_exit_when_ksoftirqd_sleeps()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim);
        var device = new FakeDevice(kernel.Cpus[0]);
        device.Arrive(3);
        sim.Run(untilNs: 1_000_000);

        Assert.Equal(3, device.Delivered.Count);
        Assert.Equal(TaskState.Sleeping, kernel.Cpus[0].Ksoftirqd.State);
        Assert.Equal(1, device.InterruptsReenabled);
    }

    [Theory]
    [InlineData(KernelVersion.V4_15, true)]
    [InlineData(KernelVersion.V6_1, true)]
    [InlineData(KernelVersion.V6_12, false)]
    public void Softirq_defers_NET_RX_to_a_runnable_ksoftirqd_on_4_15_and_6_1_only(KernelVersion version, bool deferred)
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, version: version);
        KernelCpu cpu = kernel.Cpus[0];

        // A FIFO hog keeps the fair ksoftirqd runnable but off the CPU.
        var hog = new HogThread(cpu, "rt-hog", SchedPolicy.Fifo, 50);
        hog.Wake();
        sim.Run(untilNs: 10_000);
        cpu.Ksoftirqd.Wake();
        Assert.Equal(TaskState.Runnable, cpu.Ksoftirqd.State);

        var device = new FakeDevice(cpu);
        device.Arrive(1);
        sim.Run(untilNs: 1_000_000);

        Assert.Equal(deferred ? 0 : 1, device.Delivered.Count);
        Assert.Equal(deferred, cpu.Softirq.IsPending(SoftirqVector.NetRx));
    }

    [Fact]
    public void Do_softirq_stops_after_ten_passes_and_wakes_ksoftirqd()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim);
        KernelCpu cpu = kernel.Cpus[0];

        // One napi with a full ring: each net_rx_action polls it once (64 frames), finds
        // it used its whole weight, re-raises NET_RX; __do_softirq restarts up to 10
        // passes (640 frames), then hands the rest to ksoftirqd.
        var device = new FakeDevice(cpu, costNs: 1_000);
        device.Arrive(5_000);
        sim.Run(untilNs: 100_000_000);

        Assert.Equal(5_000, device.Delivered.Count);
        Assert.True(cpu.Softirq.DeferralsToKsoftirqd >= 1);
        Assert.Equal(0, cpu.NetRxAction.TimeSqueeze);
        Assert.True(cpu.Ksoftirqd.SumExecNs > 4_000_000, "ksoftirqd should have done most of the work");
    }

    [Fact]
    public void Frames_deferred_to_ksoftirqd_wait_for_its_cfs_turn_behind_a_fair_hog()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, ticks: true);
        KernelCpu cpu = kernel.Cpus[0];
        var hog = new HogThread(cpu, "hog");
        hog.Wake();

        // Let the hog accumulate vruntime, then load NET_RX enough to overflow to ksoftirqd.
        sim.Run(untilNs: 50_000_000);
        var device = new FakeDevice(cpu, costNs: 1_000);
        device.Arrive(20_000);
        long start = sim.NowNs;
        long hogBefore = hog.SumExecNs;
        sim.Run(untilNs: start + 200_000_000);

        Assert.Equal(20_000, device.Delivered.Count);
        long lastNs = device.Delivered[^1].AtNs - start;

        // Alone, 20000 frames take about 20 ms; deferred to ksoftirqd they share the CPU
        // with the hog through CFS, in tick-quantised slices.
        Assert.True(lastNs > 30_000_000, $"took {lastNs} ns");
        Assert.True(hog.SumExecNs - hogBefore > 10_000_000);
    }
}
