using Kbp.Sim.Models.Kernel;

namespace Kbp.Sim.Tests.Kernel;

public class KbpTests
{
    [Fact]
    public void KBP_polls_scheduled_napis_without_raising_NET_RX()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, cpus: 2, ticks: true);
        var kbp = new KbpNapiScheduler(kernel, new KbpOptions { Cpus = [0] });
        var device = new FakeDevice(kernel.Cpus[0]);
        bool netRxRaised = false;
        sim.Run(untilNs: 1_000_000);
        for (int burst = 0; burst < 50; burst++)
        {
            sim.Schedule(sim.NowNs + (burst * 100_000), _ => device.Arrive(100));
        }

        sim.Run(untilNs: 20_000_000, stopWhen: () => netRxRaised |= kernel.Cpus[0].Softirq.IsPending(SoftirqVector.NetRx));

        Assert.False(netRxRaised);
        Assert.Equal(5_000, device.Delivered.Count);
        KbpThread thread = kbp.Threads[0];
        Assert.True(thread.FullWeightRequeues > 0);
        Assert.Equal(0, kernel.Cpus[0].Softirq.DeferralsToKsoftirqd);
    }

    [Fact]
    public void A_KBP_weight_below_the_napi_weight_requeues_instead_of_completing()
    {
        // poll(napi, 8) on a driver whose napi weight is 64: a full poll of 8 frames is not
        // a drained ring, so the driver does not complete the napi and KBP requeues it.
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, cpus: 1);
        var kbp = new KbpNapiScheduler(kernel, new KbpOptions { Cpus = [0], Weight = 8 });
        var device = new FakeDevice(kernel.Cpus[0], costNs: 100, weight: 64);
        sim.Run(untilNs: 100_000);
        device.Arrive(256);
        sim.Run(untilNs: 1_000_000);

        Assert.Equal(256, device.Delivered.Count);
        Assert.True(kbp.Threads[0].FullWeightRequeues >= (256 / 8) - 1, $"requeues {kbp.Threads[0].FullWeightRequeues}");
    }

    [Fact]
    public void Threaded_NAPI_polls_in_its_own_thread_without_raising_NET_RX_and_waits_behind_a_fair_hog()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, cpus: 1, ticks: true);
        var threaded = new ThreadedNapiScheduler(kernel);
        var device = new FakeDevice(kernel.Cpus[0], costNs: 500);
        bool netRxRaised = false;
        sim.Run(untilNs: 1_000_000);
        device.Arrive(200);
        sim.Run(untilNs: 10_000_000, stopWhen: () => netRxRaised |= kernel.Cpus[0].Softirq.IsPending(SoftirqVector.NetRx));

        Assert.False(netRxRaised);
        Assert.Equal(200, device.Delivered.Count);
        NapiThread thread = Assert.Single(threaded.Threads);
        Assert.Equal("napi/fake0", thread.Name);
        Assert.True(thread.Polls >= 200 / 64, $"polls {thread.Polls}");
        Assert.Equal(SchedPolicy.Fair, thread.Policy);
    }

    [Fact]
    public void A_napi_on_a_cpu_without_a_KBP_thread_keeps_the_stock_path()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, cpus: 2);
        _ = new KbpNapiScheduler(kernel, new KbpOptions { Cpus = [0] });
        var device = new FakeDevice(kernel.Cpus[1]);
        device.Arrive(5);
        sim.Run(untilNs: 1_000_000);
        Assert.Equal(5, device.Delivered.Count);
    }

    [Fact]
    public void A_sleeping_KBP_thread_is_woken_by_the_schedule()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, cpus: 1);
        var kbp = new KbpNapiScheduler(kernel, new KbpOptions { Cpus = [0], IdleMode = KbpIdleMode.Sleep });
        sim.Run(untilNs: 100_000);
        Assert.Equal(TaskState.Sleeping, kbp.Threads[0].State);
        var device = new FakeDevice(kernel.Cpus[0]);
        device.Arrive(10);
        sim.Run(untilNs: 1_000_000);
        Assert.Equal(10, device.Delivered.Count);
        Assert.Equal(TaskState.Sleeping, kbp.Threads[0].State);
    }
}
