using Kbp.Sim.Models.Applications;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Virtualization;
using Kbp.Sim.Tests.Kernel;

namespace Kbp.Sim.Tests.Virtualization;

/// <summary>
/// Probe txg2 on the guest's Tx virtqueue: the host learns of a frame by its kick, or, while
/// it asked not to be kicked (vhost_disable_notify in handle_tx), only when it takes the frame.
/// </summary>
public class VirtioTxProbeTests
{
    [Fact]
    public void A_kicked_frame_passes_txg2_at_its_kick_and_waits_in_the_ring_only_from_there()
    {
        var sim = new Simulator(1);
        (VirtioNetTx tx, _) = Queue(sim);
        var frame = new Packet(0, 1518);
        frame.Stamp(Probe.Txg1, 0);

        Assert.True(tx.Add(frame));

        // The sender's VM exit (or its preemption) takes 50 µs; the host takes the frame 10 µs after the kick.
        sim.Schedule(50_000, _ => tx.Kick());
        sim.Schedule(60_000, _ => Assert.True(tx.TryTake(out Packet taken) && taken == frame));
        sim.Run(untilNs: 100_000);

        Assert.Equal(50_000, frame.At(Probe.Txg2));
        Assert.Equal(10_000, TotalWaitNs(frame));
        Assert.Null(frame.LargestWaitCauseIn(Probe.Txg1));
    }

    [Fact]
    public void A_frame_added_while_the_host_is_not_to_be_kicked_passes_txg2_when_the_host_takes_it()
    {
        var sim = new Simulator(1);
        (VirtioNetTx tx, FakeTxBackend backend) = Queue(sim);
        var first = new Packet(0, 1518);
        var second = new Packet(1, 1518);
        first.Stamp(Probe.Txg1, 0);
        Assert.True(tx.Add(first));
        tx.Kick();

        // handle_tx runs with notifications off and is held off its CPU for 2 ms: the next
        // frame is added without a kick and waits for the host in txg1→txg2.
        sim.Schedule(10_000, _ =>
        {
            second.Stamp(Probe.Txg1, 10_000);
            Assert.False(tx.Add(second));
        });
        sim.Schedule(2_010_000, _ =>
        {
            Assert.True(tx.TryTake(out Packet a));
            Assert.True(tx.TryTake(out Packet b));
            Assert.Same(first, a);
            Assert.Same(second, b);
        });
        sim.Run(untilNs: 3_000_000);

        Assert.Equal(1, backend.Notified);
        Assert.Equal(2_010_000, second.At(Probe.Txg2));
        Assert.Equal(2_000_000, TotalWaitNs(second));
        Assert.NotNull(second.LargestWaitCauseIn(Probe.Txg1));
        Assert.Null(second.LargestWaitCauseIn(Probe.Txg2));
    }

    private static long TotalWaitNs(Packet packet) =>
        Enum.GetValues<WaitCause>().Sum(packet.WaitNs);

    private static (VirtioNetTx Tx, FakeTxBackend Backend) Queue(Simulator sim)
    {
        Kbp.Sim.Models.Kernel.Kernel host = KernelFixture.NewKernel(sim);
        var backend = new FakeTxBackend(new StressNgCpu(host.Cpus[0]));
        var tx = new VirtioNetTx(256) { Consumer = backend };
        return (tx, backend);
    }

    /// <summary>A host side that only counts kicks; the test takes the frames itself.</summary>
    private sealed class FakeTxBackend(KThread worker) : IVirtioTxBackend
    {
        public KThread Worker { get; } = worker;

        public WaitCause QueueingCause => WaitCause.RingQueueing;

        public int Notified { get; private set; }

        public void NotifyTx() => Notified++;
    }
}
