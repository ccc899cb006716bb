using Kbp.Sim.Events;

namespace Kbp.Sim.Tests.Engine;

public class SimulatorTests
{
    private static readonly EventCallback Nothing = _ => { };

    [Fact]
    public void Cancelled_event_does_not_fire_and_cancelling_again_or_after_firing_is_refused()
    {
        var sim = new Simulator(1);
        var fired = new List<long>();
        EventHandle a = sim.Schedule(10, fired.Add, 1);
        EventHandle b = sim.Schedule(20, fired.Add, 2);

        Assert.True(sim.IsPending(a));
        Assert.True(sim.Cancel(a));
        Assert.False(sim.Cancel(a));
        Assert.False(sim.IsPending(a));
        Assert.Equal(1, sim.PendingCount);

        sim.Run();

        Assert.Equal([2L], fired);
        Assert.False(sim.Cancel(b));
        Assert.False(sim.Cancel(default));
        Assert.Equal(0, sim.PendingCount);
    }

    [Fact]
    public void A_slot_reused_after_cancellation_fires_only_the_new_event()
    {
        var sim = new Simulator(1);
        var fired = new List<long>();
        EventHandle old = sim.Schedule(50, fired.Add, 1);
        sim.Cancel(old);
        EventHandle reused = sim.Schedule(50, fired.Add, 2);

        Assert.Equal(old.Slot, reused.Slot);
        Assert.False(sim.Cancel(old));
        sim.Run();

        Assert.Equal([2L], fired);
    }

    [Fact]
    public void Run_until_fires_events_at_the_limit_and_leaves_the_clock_there()
    {
        var sim = new Simulator(1);
        var fired = new List<long>();
        sim.Schedule(100, fired.Add, 1);
        sim.Schedule(200, fired.Add, 2);
        sim.Schedule(201, fired.Add, 3);

        Assert.Equal(StopReason.TimeLimit, sim.Run(untilNs: 200));
        Assert.Equal(200, sim.NowNs);
        Assert.Equal([1L, 2L], fired);

        Assert.Equal(StopReason.QueueEmpty, sim.Run(untilNs: 1_000));
        Assert.Equal(1_000, sim.NowNs);
        Assert.Equal([1L, 2L, 3L], fired);
    }

    [Fact]
    public void Run_stops_when_the_predicate_holds_or_an_event_asks()
    {
        var sim = new Simulator(1);
        int count = 0;
        EventCallback? tick = null;
        tick = _ =>
        {
            count++;
            sim.ScheduleAfter(10, tick!);
        };
        sim.Schedule(0, tick);

        Assert.Equal(StopReason.Predicate, sim.Run(stopWhen: () => count == 5));
        Assert.Equal(5, count);
        Assert.Equal(40, sim.NowNs);

        sim.Schedule(sim.NowNs + 25, _ => sim.Stop());
        Assert.Equal(StopReason.Stopped, sim.Run());
        Assert.Equal(65, sim.NowNs);
    }

    [Fact]
    public void Run_reports_an_empty_queue()
    {
        var sim = new Simulator(1);
        sim.Schedule(5, Nothing);
        Assert.Equal(StopReason.QueueEmpty, sim.Run());
        Assert.Equal(5, sim.NowNs);
        Assert.Equal(1, sim.FiredCount);
    }

    [Fact]
    public void Scheduling_in_the_past_is_refused()
    {
        var sim = new Simulator(1);
        sim.Schedule(100, Nothing);
        sim.Run();
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Schedule(99, Nothing));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.ScheduleAfter(-1, Nothing));
    }
}
