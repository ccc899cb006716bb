using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Tests.Hardware;

public class NicTxQueueTests
{
    private static (Simulator Sim, NicTxQueue Tx, List<(long AtNs, Packet Packet)> Out) NewTx(double rateBps, int ringSize = 512)
    {
        var sim = new Simulator(1);
        var sent = new List<(long, Packet)>();
        var tx = new NicTxQueue(sim, "eth0/tx0", new NicOptions { RateBps = rateBps, TxRingSize = ringSize }, p => sent.Add((sim.NowNs, p)));
        return (sim, tx, sent);
    }

    [Fact]
    public void Frames_queued_together_leave_back_to_back_one_wire_time_apart_and_are_charged_their_whole_wait()
    {
        var (sim, tx, sent) = NewTx(1e9);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(tx.TryEnqueue(new Packet(i, 1518)));
        }

        Assert.Equal(3, tx.Count);
        sim.Run();

        // Last bit (end of FCS) of frame i: 12 304 i + (1518 + 8) · 8 ns.
        long[] expected = [12_208, 24_512, 36_816];
        Assert.Equal(expected, sent.Select(s => s.AtNs));
        Assert.Equal(expected, sent.Select(s => s.Packet.At(Probe.Txh2)));
        Assert.Equal(expected, sent.Select(s => s.Packet.WaitNs(WaitCause.NicSerialization)));
        Assert.Equal(0, tx.Count);
        Assert.Equal(3, tx.Transmitted.Value);
    }

    [Fact]
    public void A_line_rate_burst_of_small_frames_keeps_the_exact_rate_of_67_2_ns_per_frame_at_10_GbE()
    {
        var (sim, tx, sent) = NewTx(10e9);
        for (int i = 0; i < 500; i++)
        {
            tx.TryEnqueue(new Packet(i, 64));
        }

        sim.Run();
        for (int i = 0; i < sent.Count; i++)
        {
            Assert.Equal(((672L * i) + 576 + 9) / 10, sent[i].AtNs);
        }
    }

    [Fact]
    public void A_frame_queued_after_the_line_went_idle_waits_only_for_its_own_bits()
    {
        var (sim, tx, sent) = NewTx(1e9);
        tx.TryEnqueue(new Packet(0, 64));
        sim.Schedule(10_000, _ => tx.TryEnqueue(new Packet(1, 64)));
        sim.Run();

        Assert.Equal(10_000 + (72 * 8), sent[1].AtNs);
        Assert.Equal(72 * 8, sent[1].Packet.WaitNs(WaitCause.NicSerialization));
    }

    [Fact]
    public void A_full_ring_refuses_the_frame_and_counts_a_NicTxRing_drop()
    {
        var (sim, tx, sent) = NewTx(1e9, ringSize: 2);
        var dropped = new List<(long, DropReason)>();
        tx.DropObserver = (p, r) => dropped.Add((p.Id, r));
        int freed = 0;
        tx.DescriptorFreed = () => freed++;

        Assert.True(tx.TryEnqueue(new Packet(0, 64)));
        Assert.True(tx.TryEnqueue(new Packet(1, 64)));
        Assert.False(tx.TryEnqueue(new Packet(2, 64)));
        Assert.Equal(0, tx.FreeDescriptors);
        Assert.Equal(1, tx.Dropped.Value);
        Assert.Equal([(2L, DropReason.NicTxRing)], dropped);

        sim.Run();
        Assert.Equal(2, sent.Count);
        Assert.Equal(2, freed);
        Assert.True(tx.TryEnqueue(new Packet(3, 64)));
    }

    [Fact]
    public void A_micro_burst_faster_than_the_line_builds_a_queue_whose_wait_grows_frame_by_frame()
    {
        // The paper's case: 1518 B frames arriving 7.5 µs apart at a 1 GbE NIC that needs 12.304 µs each.
        var (sim, tx, sent) = NewTx(1e9);
        for (int i = 0; i < 100; i++)
        {
            var p = new Packet(i, 1518);
            sim.Schedule(i * 7_500L, _ => tx.TryEnqueue(p));
        }

        sim.Run();
        long[] waits = sent.Select(s => s.Packet.WaitNs(WaitCause.NicSerialization)).ToArray();
        Assert.Equal(12_208, waits[0]);
        Assert.Equal(12_208 + (99 * (12_304 - 7_500)), waits[99]);
    }
}
