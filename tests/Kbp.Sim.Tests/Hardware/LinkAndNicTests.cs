using Kbp.Sim.Events;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Tests.Hardware;

public class LinkAndNicTests
{
    [Fact]
    public void A_link_delivers_each_frame_one_propagation_delay_later_in_order()
    {
        var sim = new Simulator(1);
        var arrived = new List<(long AtNs, long Id)>();
        var link = new Link(sim, Link.PropagationDelayForMetersNs(3), p => arrived.Add((sim.NowNs, p.Id)));
        sim.Schedule(0, _ => link.Send(new Packet(0, 64)));
        sim.Schedule(5, _ => link.Send(new Packet(1, 64)));
        sim.Run();

        Assert.Equal(15, link.PropagationDelayNs);
        Assert.Equal([(15L, 0L), (20L, 1L)], arrived);
        Assert.Equal(2, link.Delivered);
        Assert.Equal(0, link.InFlight);
    }

    [Fact]
    public void A_zero_delay_link_hands_the_frame_over_at_once_and_an_unconnected_one_refuses()
    {
        var sim = new Simulator(1);
        var link = new Link(sim);
        Assert.Throws<InvalidOperationException>(() => link.Send(new Packet(0, 64)));

        Packet? got = null;
        link.Connect(p => got = p);
        var frame = new Packet(1, 64);
        link.Send(frame);
        Assert.Same(frame, got);
        Assert.Throws<InvalidOperationException>(() => link.Connect(_ => { }));
    }

    [Fact]
    public void A_nic_puts_frames_from_the_wire_on_its_rx_ring_and_its_tx_ring_onto_the_outgoing_link()
    {
        var sim = new Simulator(1);
        var toTester = new List<Packet>();
        var options = new NicOptions { RateBps = 1e9, RxRingSize = 256, TxRingSize = 256, Moderation = InterruptModeration.Off };
        var nic = new Nic(sim, "host/eth0", options, toTester.Add);
        var drops = new List<DropReason>();
        nic.ObserveDrops((_, r) => drops.Add(r));

        Assert.Equal("host/eth0/rx0", nic.RxQueue.Name);
        Assert.Single(nic.RxQueues);
        Assert.Equal(256, nic.RxQueue.RingSize);

        var frame = new Packet(0, 1518);
        nic.ReceiveFromLink(frame);
        Assert.True(nic.RxQueue.TryTake(out Packet? taken));
        Assert.Same(frame, taken);

        Assert.True(nic.TryTransmit(taken));
        sim.Run();
        Assert.Equal([frame], toTester);
        Assert.Equal((1518 + 8) * 8, frame.At(Probe.Txh2));
        Assert.Empty(drops);
    }

    [Fact]
    public void Impossible_nic_options_are_refused()
    {
        var sim = new Simulator(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nic(sim, "eth0", new NicOptions { RxRingSize = 0 }, _ => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nic(sim, "eth0", new NicOptions { RateBps = 1.5e9 + 0.5 }, _ => { }));
    }

    [Fact]
    public void A_tester_echoing_through_a_nic_measures_both_wire_times_and_the_driver_delay()
    {
        var sim = new Simulator(1);
        var toNic = new Link(sim);
        var toTester = new Link(sim);
        var nic = new Nic(sim, "host/eth0", new NicOptions { Moderation = InterruptModeration.Off }, toTester.Send);
        var tester = new Tester(sim, new TesterOptions { RateBps = 1e9, DurationNs = 1_000_000 }, toNic.Send);
        toNic.Connect(nic.ReceiveFromLink);
        toTester.Connect(tester.Receive);
        nic.ObserveDrops(tester.NotifyDropped);

        // A driver that polls 1 µs after each interrupt and echoes every frame.
        nic.RxQueue.RequestIrq(() => sim.ScheduleAfter(1_000, _ =>
        {
            while (nic.RxQueue.TryTake(out Packet? p))
            {
                nic.TryTransmit(p);
            }

            nic.RxQueue.EnableInterrupt();
        }));
        tester.Start();
        sim.Run();

        TesterResult r = tester.Result();
        Assert.Equal(82, r.Received);
        Assert.Equal(0, r.Lost + r.InFlight);

        // 1221 ns of 1518 B at 10 GbE each way, plus the 1 µs poll delay.
        Assert.Equal(3_442, r.Latency.MinNs);
        Assert.Equal(3_442, r.Latency.MaxNs);
    }

    [Fact]
    public void Frames_through_the_rings_and_link_allocate_nothing_once_warm()
    {
        var sim = new Simulator(1);
        var toWire = new Link(sim, propagationDelayNs: 10);
        var nic = new Nic(sim, "host/eth0", new NicOptions { Moderation = InterruptModeration.Fixed }, toWire.Send);
        long echoed = 0;
        toWire.Connect(_ => echoed++);
        EventCallback poll = _ =>
        {
            while (nic.RxQueue.TryTake(out Packet? p))
            {
                nic.TryTransmit(p);
            }

            nic.RxQueue.EnableInterrupt();
        };
        nic.RxQueue.RequestIrq(() => sim.ScheduleAfter(500, poll));
        var packets = new Packet[40_000];
        for (int i = 0; i < packets.Length; i++)
        {
            packets[i] = new Packet(i, 512);
        }

        int next = 0;
        EventCallback arrive = null!;
        arrive = _ =>
        {
            nic.ReceiveFromLink(packets[next++]);
            if (next < packets.Length)
            {
                sim.ScheduleAfter(700, arrive);
            }
        };
        sim.Schedule(0, arrive);
        sim.Run(10_000_000); // warm: slot tables and queues at their working size
        long before = GC.GetAllocatedBytesForCurrentThread();
        sim.Run();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(packets.Length, echoed);
        Assert.True(allocated < 1_000, $"{allocated} bytes allocated");
    }
}
