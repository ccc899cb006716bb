using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Tests.Engine;
using Kbp.Sim.Time;
using Kbp.Sim.Tracing;

namespace Kbp.Sim.Tests.Hardware;

public class NicRxQueueTests
{
    private const long Us = SimTime.NsPerUs;

    private static NicOptions Options(InterruptModeration moderation, int ringSize = 512, long intervalNs = 10 * Us) =>
        new() { RxRingSize = ringSize, Moderation = moderation, FixedIntervalNs = intervalNs };

    /// <summary>Schedules frames of 64 B with ids from 0 at the given times.</summary>
    private static List<Packet> ArriveAt(Simulator sim, NicRxQueue rx, params long[] timesNs)
    {
        var packets = new List<Packet>();
        foreach (long t in timesNs)
        {
            var p = new Packet(packets.Count, 64);
            packets.Add(p);
            sim.Schedule(t, _ => rx.OnFrameArrived(p));
        }

        return packets;
    }

    [Fact]
    public void The_ring_drops_exactly_the_frames_that_find_every_descriptor_in_use()
    {
        var sim = new Simulator(1);
        var rx = new NicRxQueue(sim, "eth0/rx0", Options(InterruptModeration.Off, ringSize: 4));
        var dropped = new List<(long Id, DropReason Reason)>();
        rx.DropObserver = (p, reason) => dropped.Add((p.Id, reason));

        ArriveAt(sim, rx, 0, 1, 2, 3, 4, 5);
        sim.Run();

        Assert.Equal(4, rx.Count);
        Assert.Equal(4, rx.Received.Value);
        Assert.Equal(2, rx.Dropped.Value);
        Assert.Equal([(4L, DropReason.NicRxRing), (5L, DropReason.NicRxRing)], dropped);

        // Taking one frame frees one descriptor: the next frame fits, the one after does not.
        Assert.True(rx.TryTake(out Packet? first));
        Assert.Equal(0, first.Id);
        ArriveAt(sim, rx, 10, 11);
        sim.Run();
        Assert.Equal(4, rx.Count);
        Assert.Equal(3, rx.Dropped.Value);
    }

    [Fact]
    public void Without_moderation_the_interrupt_fires_when_the_frame_arrives_and_the_vector_masks_itself()
    {
        var sim = new Simulator(1);
        var rx = new NicRxQueue(sim, "eth0/rx0", Options(InterruptModeration.Off));
        var irqs = new List<long>();
        rx.RequestIrq(() => irqs.Add(sim.NowNs));

        ArriveAt(sim, rx, 5 * Us, 6 * Us, 7 * Us);
        sim.Run();

        Assert.Equal([5 * Us], irqs);
        Assert.False(rx.IsInterruptEnabled);
        Assert.Equal(3, rx.Count);
    }

    [Fact]
    public void While_masked_no_interrupt_fires_and_a_latched_cause_fires_on_re_enable_after_the_interval()
    {
        var sim = new Simulator(1);
        var rx = new NicRxQueue(sim, "eth0/rx0", Options(InterruptModeration.Fixed, intervalNs: 10 * Us));
        var irqs = new List<long>();
        rx.RequestIrq(() => irqs.Add(sim.NowNs));

        ArriveAt(sim, rx, 0, 1 * Us, 2 * Us, 30 * Us, 31 * Us);
        sim.Run();
        Assert.Equal([0L], irqs);
        Assert.Equal(1, rx.Interrupts.Value);

        // The driver re-enables at 32 µs: the cause latched at 1 µs fires at once, the interval having passed.
        sim.Schedule(32 * Us, _ => rx.EnableInterrupt());
        sim.Run();
        Assert.Equal([0L, 32 * Us], irqs);
    }

    /// <summary>
    /// A NAPI-like driver: on each interrupt it polls <paramref name="pollDelayNs"/> later,
    /// takes every frame and re-enables the vector.
    /// </summary>
    private static List<long> DriveWithNapi(Simulator sim, NicRxQueue rx, long pollDelayNs, List<Packet> taken)
    {
        var irqs = new List<long>();
        rx.RequestIrq(() =>
        {
            irqs.Add(sim.NowNs);
            sim.ScheduleAfter(pollDelayNs, _ =>
            {
                while (rx.TryTake(out Packet? p))
                {
                    taken.Add(p);
                }

                rx.EnableInterrupt();
            });
        });
        return irqs;
    }

    [Fact]
    public void Fixed_moderation_raises_at_most_one_interrupt_per_interval_and_defers_the_next_to_last_plus_interval()
    {
        var sim = new Simulator(1);
        var rx = new NicRxQueue(sim, "eth0/rx0", Options(InterruptModeration.Fixed, intervalNs: 10 * Us));
        var taken = new List<Packet>();
        List<long> irqs = DriveWithNapi(sim, rx, pollDelayNs: 1 * Us, taken);

        long[] arrivals = Enumerable.Range(0, 26).Select(i => i * 2 * Us).ToArray(); // every 2 µs, 0..50 µs
        ArriveAt(sim, rx, arrivals);
        sim.Run();

        Assert.Equal([0, 10 * Us, 20 * Us, 30 * Us, 40 * Us, 50 * Us], irqs);
        Assert.Equal(26, taken.Count);
        for (int i = 1; i < irqs.Count; i++)
        {
            Assert.True(irqs[i] - irqs[i - 1] >= 10 * Us);
        }
    }

    [Fact]
    public void A_frame_is_charged_the_time_moderation_held_its_interrupt_back_and_the_rest_as_ring_queueing()
    {
        var sim = new Simulator(1);
        var rx = new NicRxQueue(sim, "eth0/rx0", Options(InterruptModeration.Fixed, intervalNs: 10 * Us));
        var taken = new List<Packet>();
        DriveWithNapi(sim, rx, pollDelayNs: 1 * Us, taken);

        ArriveAt(sim, rx, 0, 2 * Us, 4 * Us, 8 * Us);
        sim.Run();

        // Frame 0: interrupt at once, polled 1 µs later. Frames at 2, 4, 8 µs: the interrupt is
        // held until 10 µs (0 + interval), then polled at 11 µs.
        long[] moderation = taken.Select(p => p.WaitNs(WaitCause.InterruptModeration)).ToArray();
        long[] ring = taken.Select(p => p.WaitNs(WaitCause.RingQueueing)).ToArray();
        Assert.Equal([0, 8 * Us, 6 * Us, 2 * Us], moderation);
        Assert.Equal([1 * Us, 1 * Us, 1 * Us, 1 * Us], ring);
    }

    [Fact]
    public void A_cause_latched_during_the_poll_fires_on_re_enable_even_when_the_poll_took_the_frame()
    {
        var sim = new Simulator(1);
        var rx = new NicRxQueue(sim, "eth0/rx0", Options(InterruptModeration.Off));
        var taken = new List<Packet>();
        List<long> irqs = DriveWithNapi(sim, rx, pollDelayNs: 2 * Us, taken);

        ArriveAt(sim, rx, 0, 1 * Us);
        sim.Run();

        // Both frames taken by the poll at 2 µs; the cause of the second still raises an interrupt with no work.
        Assert.Equal([0L, 2 * Us], irqs);
        Assert.Equal(2, taken.Count);
        Assert.Equal(0, rx.Count);
    }

    [Fact]
    public void Disabling_the_vector_withdraws_an_interrupt_held_back_by_moderation()
    {
        var sim = new Simulator(1);
        var rx = new NicRxQueue(sim, "eth0/rx0", Options(InterruptModeration.Fixed, intervalNs: 10 * Us));
        var irqs = new List<long>();
        rx.RequestIrq(() =>
        {
            irqs.Add(sim.NowNs);
            rx.EnableInterrupt();
        });

        ArriveAt(sim, rx, 0, 3 * Us);
        sim.Schedule(5 * Us, _ => rx.DisableInterrupt());
        sim.Run();

        Assert.Equal([0L], irqs);
        Assert.False(rx.IsInterruptPending);
    }

    [Fact]
    public void Adaptive_moderation_retunes_the_interval_each_time_the_driver_re_enables()
    {
        var sim = new Simulator(1);
        var rx = new NicRxQueue(sim, "eth0/rx0", Options(InterruptModeration.Adaptive));
        var taken = new List<Packet>();
        DriveWithNapi(sim, rx, pollDelayNs: 1 * Us, taken);
        Assert.Equal(50 * Us, rx.ModerationIntervalNs); // IXGBE_20K_ITR until the first poll completes

        ArriveAt(sim, rx, 100 * Us);
        sim.Run();

        // One 64 B frame in the interval at 10 GbE: latency mode, size formula → 10 µs.
        Assert.Single(taken);
        Assert.Equal(10 * Us, rx.ModerationIntervalNs);
    }

    [Fact]
    public void Interrupts_and_drops_appear_as_instants_in_the_trace()
    {
        var trace = new RecordingTraceSink();
        var sim = new Simulator(1, trace);
        var rx = new NicRxQueue(sim, "eth0/rx0", Options(InterruptModeration.Off, ringSize: 1));
        rx.RequestIrq(() => { });
        ArriveAt(sim, rx, 0, 1);
        sim.Run();

        Assert.Equal(
            [(0L, "nic:irq", -1L), (1L, "nic:drop", 1L)],
            trace.Events.Where(e => e.Kind == TraceKind.Instant).Select(e => (e.TimeNs, e.Context, e.PacketId)));
    }
}
