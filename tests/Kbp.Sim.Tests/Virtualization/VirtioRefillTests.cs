using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Virtualization;
using Kbp.Sim.Processing;
using Kbp.Sim.Tests.Kernel;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Virtualization;

/// <summary>virtnet_receive's refill threshold: the host fills only buffers the guest posted.</summary>
public class VirtioRefillTests
{
    /// <summary>
    /// 200 frames land in the 256-buffer ring at once; the guest takes them in polls of 64,
    /// 64, 64 and 8. On 4.15 it refills only once more than 128 descriptors are free (after
    /// the third poll: 192 free); on 6.1 once more than min(64, 256) / 2 = 32 are (after
    /// each of the first three polls: 64 free each time).
    /// </summary>
    [Theory]
    [InlineData(KernelVersion.V4_15, 128, 1)]
    [InlineData(KernelVersion.V6_1, 32, 3)]
    public void The_guest_refills_only_past_its_threshold(KernelVersion guest, int threshold, int refills)
    {
        var sim = new Simulator(1);
        int delivered = 0;
        VirtioNetRx rx = GuestRx(sim, guest, _ => delivered++);
        sim.Run(untilNs: SimTime.FromMs(1));
        Assert.Equal(threshold, rx.RefillThreshold);

        for (int i = 0; i < 200; i++)
        {
            Assert.True(rx.TryAddUsed(new Packet(i, 1518)));
        }

        Assert.Equal(56, rx.PostedBuffers);
        rx.SignalGuest();
        sim.Run(untilNs: SimTime.FromMs(5));

        Assert.Equal(0, rx.Count);
        Assert.Equal(200, delivered);
        Assert.Equal(refills, rx.Refills);
        Assert.Equal(248, rx.PostedBuffers);
    }

    [Fact]
    public void With_no_posted_buffer_the_host_cannot_add_a_frame()
    {
        VirtioNetRx rx = GuestRx(new Simulator(1), KernelVersion.V4_15, _ => { });
        for (int i = 0; i < rx.QueueSize; i++)
        {
            Assert.True(rx.TryAddUsed(new Packet(i, 64)));
        }

        Assert.False(rx.HasBuffer);
        Assert.False(rx.TryAddUsed(new Packet(rx.QueueSize, 64)));
    }

    /// <summary>A one-vCPU guest on a one-CPU host with its virtio-net Rx queue (256 buffers, 2.2 µs per frame).</summary>
    private static VirtioNetRx GuestRx(Simulator sim, KernelVersion guest, Action<Packet> deliver)
    {
        Kbp.Sim.Models.Kernel.Kernel host = KernelFixture.NewKernel(sim);
        var vcpu = new VcpuThread(host.Cpus[0], 0, SchedPolicy.Fair, 0, new HaltPolling());
        var processor = new Processor(sim, "guest/vcpu0", 0, CpuClass.Count, gate: vcpu.Item);
        var kernel = new Kbp.Sim.Models.Kernel.Kernel(sim, "guest", new KernelOptions { Version = guest, OnlineCpus = 1 }, new KernelCosts(), [processor]);
        vcpu.Attach(kernel.Cpus[0]);
        return new VirtioNetRx(kernel.Cpus[0], vcpu, 256, 2_200, deliver);
    }
}
