using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Models.Virtualization;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Virtualization;

/// <summary>KVM halt polling: kvm_vcpu_halt's window adaptation and what polling does on the host CPU.</summary>
public class HaltPollingTests
{
    private const long Us = SimTime.NsPerUs;

    [Fact]
    public void The_window_grows_from_10us_by_doubling_after_short_halts_and_is_capped()
    {
        var polling = HaltPolling.For(KernelVersion.V4_15, 200 * Us);
        long w = 0;
        w = polling.Adjust(w, 5 * Us);      // 0 → grow_start
        Assert.Equal(10 * Us, w);
        w = polling.Adjust(w, 8 * Us);      // fits in the window: unchanged
        Assert.Equal(10 * Us, w);
        w = polling.Adjust(w, 15 * Us);     // longer than the window, shorter than the cap: ×2
        Assert.Equal(20 * Us, w);
        w = polling.Adjust(w, 150 * Us);    // 40
        w = polling.Adjust(w, 150 * Us);    // 80
        w = polling.Adjust(w, 150 * Us);    // 160
        Assert.Equal(160 * Us, w);
        w = polling.Adjust(w, 180 * Us);    // 320, capped at halt_poll_ns
        Assert.Equal(200 * Us, w);
    }

    [Fact]
    public void A_halt_longer_than_the_cap_resets_the_window_on_4_15_and_halves_it_on_6_12()
    {
        Assert.Equal(0, HaltPolling.For(KernelVersion.V4_15, 200 * Us).Adjust(160 * Us, 5_000 * Us));
        Assert.Equal(0, HaltPolling.For(KernelVersion.V6_1, 200 * Us).Adjust(160 * Us, 5_000 * Us));

        var eevdfHost = HaltPolling.For(KernelVersion.V6_12, 200 * Us);
        Assert.Equal(80 * Us, eevdfHost.Adjust(160 * Us, 5_000 * Us));
        Assert.Equal(10 * Us, eevdfHost.Adjust(20 * Us, 5_000 * Us));
        Assert.Equal(0, eevdfHost.Adjust(10 * Us, 5_000 * Us)); // 5 µs is below grow_start: 0
    }

    [Fact]
    public void A_zero_cap_disables_polling()
    {
        var off = HaltPolling.For(KernelVersion.V4_15, 0);
        Assert.Equal(0, off.Adjust(0, 5 * Us));
        Assert.Equal(0, off.Adjust(40 * Us, 5 * Us));
    }

    [Fact]
    public void With_packets_every_few_microseconds_the_irq_vcpu_polls_instead_of_sleeping_and_its_host_cpu_stays_busy()
    {
        (VmTopology polling, long pollingBusyNs) = Run(200 * Us);
        (VmTopology sleeping, long sleepingBusyNs) = Run(0);

        VcpuThread irqVcpu = polling.Vcpus[0];
        Assert.True(irqVcpu.HaltPollsSucceeded > irqVcpu.HaltPollsAttempted / 2, $"{irqVcpu.HaltPollsSucceeded} of {irqVcpu.HaltPollsAttempted}");
        Assert.Equal(0, sleeping.Vcpus[0].HaltPollsAttempted);
        Assert.True(pollingBusyNs > sleepingBusyNs, $"busy with polling {pollingBusyNs} ns, without {sleepingBusyNs} ns");
    }

    [Fact]
    public void A_polling_vcpu_leaves_its_cpu_at_once_to_a_thread_that_wakes_there()
    {
        // A host daemon wakes on the IRQ vCPU's CPU every 5 ms for 20 µs. The vCPU thread is
        // SCHED_FIFO, so the daemon never preempts it; frames every 150 µs keep it halt-
        // polling most of the time. single_task_running() turns false at the daemon's
        // wakeup, so the vCPU blocks and the daemon waits for no poll window.
        var daemon = new InterferenceOptions
        {
            Name = "daemon",
            Cpu = 4,
            PeriodNs = SimTime.FromMs(5),
            BurstNs = 20 * Us,
            Wakeup = InterferenceWakeup.Hrtimer,
        };
        var sim = new Simulator(5);
        VmSpec spec = Spec(200 * Us) with
        {
            VcpuPolicy = SchedPolicy.Fifo,
            Tester = Spec(200 * Us).Tester with { RateBps = 80e6 },
        };
        var topology = new VmTopology(sim, spec);
        var thread = new InterferenceThread(topology.Host.Cpus[4], daemon);
        topology.Tester.Start();
        sim.Run(untilNs: SimTime.FromMs(300));

        Assert.True(topology.Vcpus[0].HaltPollsAttempted > 0);
        Assert.True(thread.WaitedNs < SimTime.FromMs(300) / SimTime.FromMs(5) * 10 * Us, $"daemon waited {thread.WaitedNs} ns in total");
    }

    private static VmSpec Spec(long haltPollNs) => new()
    {
        Datapath = Datapath.Napi,
        GuestAppCpu = 1,
        HaltPolling = HaltPolling.For(KernelVersion.V4_15, haltPollNs),
        Tester = new TesterOptions { RateBps = 1e9, RateIsL1 = true, FrameBytes = 1518, DurationNs = SimTime.FromMs(300), WarmupNs = SimTime.FromMs(5) },
    };

    private static (VmTopology Topology, long IrqVcpuHostBusyNs) Run(long haltPollNs)
    {
        var sim = new Simulator(3);
        var topology = new VmTopology(sim, Spec(haltPollNs));
        topology.Tester.Start();
        sim.Run(untilNs: SimTime.FromMs(100));
        return (topology, topology.Host.Cpus[4].Processor.TotalBusyNs);
    }
}
