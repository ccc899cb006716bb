using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kbp.Sim.Events;
using Kbp.Sim.Randomness;

namespace Kbp.Sim.Tests.Engine;

/// <summary>The event queue's ordering contract, for every queue implementation.</summary>
public class EventOrderProperties
{
    private static IEventQueue NewQueue(bool radix) => radix ? new RadixHeap() : new QuaternaryHeap(4);

    /// <summary>An adaptive queue with thresholds low enough to switch back and forth many times in a test.</summary>
    private static AdaptiveQueue NewSwitchingQueue() => new(growAt: 8, shrinkAt: 2);

    /// <summary>
    /// Schedules a random tree of events (roots up front, children from inside callbacks,
    /// many ties) and returns the (time, order of scheduling) of each firing.
    /// </summary>
    private static List<(long TimeNs, long Id)> Fire(int seed, bool radix, int roots, int maxDelayNs) =>
        Fire(seed, NewQueue(radix), roots, maxDelayNs);

    private static List<(long TimeNs, long Id)> Fire(int seed, IEventQueue queue, int roots, int maxDelayNs)
    {
        var sim = new Simulator((ulong)seed, queue: queue);
        var rng = new RandomStream((ulong)seed);
        var fired = new List<(long, long)>();
        long nextId = 0;
        long budget = 2_000;
        EventCallback? onEvent = null;
        onEvent = id =>
        {
            fired.Add((sim.NowNs, id));
            int children = rng.Next(3);
            for (int c = 0; c < children && budget-- > 0; c++)
            {
                sim.ScheduleAfter(rng.Next(maxDelayNs + 1), onEvent!, nextId++);
            }
        };
        for (int i = 0; i < roots; i++)
        {
            sim.Schedule(rng.Next(maxDelayNs + 1), onEvent, nextId++);
        }

        sim.Run();
        return fired;
    }

    [Property]
    public bool Events_fire_in_non_decreasing_time_and_equal_times_in_insertion_order(int seed, bool radix, PositiveInt roots, bool manyTies)
    {
        List<(long TimeNs, long Id)> fired = Fire(seed, radix, Math.Min(roots.Get, 300), manyTies ? 3 : 1_000_000);
        for (int i = 1; i < fired.Count; i++)
        {
            (long t0, long id0) = fired[i - 1];
            (long t1, long id1) = fired[i];
            if (t1 < t0 || (t1 == t0 && id1 < id0))
            {
                return false;
            }
        }

        return true;
    }

    [Property]
    public bool Radix_heap_and_quaternary_heap_fire_the_same_sequence(int seed, PositiveInt roots, bool manyTies)
    {
        int n = Math.Min(roots.Get, 300);
        int maxDelay = manyTies ? 2 : 50_000;
        return Fire(seed, radix: true, n, maxDelay).SequenceEqual(Fire(seed, radix: false, n, maxDelay));
    }

    [Property]
    public bool The_sorted_queue_fires_the_same_sequence_as_the_radix_heap(int seed, PositiveInt roots, bool manyTies)
    {
        int n = Math.Min(roots.Get, 300);
        int maxDelay = manyTies ? 2 : 50_000;
        return Fire(seed, radix: true, n, maxDelay).SequenceEqual(Fire(seed, new SortedQueue(4), n, maxDelay));
    }

    [Property]
    public bool The_adaptive_queue_fires_the_same_sequence_as_the_radix_heap_across_its_switches(int seed, PositiveInt roots, bool manyTies)
    {
        int n = Math.Min(roots.Get, 300);
        int maxDelay = manyTies ? 2 : 50_000;
        return Fire(seed, radix: true, n, maxDelay).SequenceEqual(Fire(seed, NewSwitchingQueue(), n, maxDelay));
    }

    [Property]
    public bool The_adaptive_queue_fires_the_same_sequence_as_the_radix_heap_across_all_three_of_its_queues(int seed, PositiveInt roots, bool manyTies)
    {
        int n = Math.Min(roots.Get, 300);
        int maxDelay = manyTies ? 2 : 50_000;
        return Fire(seed, radix: true, n, maxDelay).SequenceEqual(Fire(seed, new AdaptiveQueue(growAt: 32, shrinkAt: 12, sortedUpTo: 8), n, maxDelay));
    }

    [Fact]
    public void The_adaptive_queue_moves_to_the_radix_heap_when_it_grows_and_back_when_it_drains()
    {
        AdaptiveQueue queue = NewSwitchingQueue();
        for (int i = 0; i < 8; i++)
        {
            queue.Enqueue(new QueueEntry(100 - i, (ulong)i));
        }

        Assert.True(queue.UsesRadixHeap);
        var times = new List<long>();
        while (queue.TryDequeue(out QueueEntry e))
        {
            times.Add(e.TimeNs);
        }

        Assert.False(queue.UsesRadixHeap);
        Assert.Equal(Enumerable.Range(93, 8).Select(t => (long)t), times);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Enqueue(new QueueEntry(99, 9)));
    }

    [Property]
    public bool Same_seed_gives_the_same_event_sequence(int seed, PositiveInt roots)
    {
        int n = Math.Min(roots.Get, 200);
        return Fire(seed, radix: true, n, 10_000).SequenceEqual(Fire(seed, radix: true, n, 10_000));
    }

    [Property]
    public Property Clock_never_runs_backwards_across_chunked_runs(int seed, NonEmptyArray<PositiveInt> chunkEnds)
    {
        var sim = new Simulator((ulong)seed);
        var rng = sim.Random.For("load");
        long last = 0;
        bool monotone = true;
        EventCallback? tick = null;
        tick = _ =>
        {
            monotone &= sim.NowNs >= last;
            last = sim.NowNs;
            sim.ScheduleAfter(rng.Next(1_000), tick!);
        };
        sim.Schedule(0, tick);
        foreach (long end in chunkEnds.Get.Select(c => (long)c.Get).Order())
        {
            if (end >= sim.NowNs)
            {
                sim.Run(untilNs: end);
                monotone &= sim.NowNs == end;

                // Scheduling between the limit and the next event must still be possible.
                sim.ScheduleAfter(0, tick);
            }
        }

        return monotone.Label($"last {last}");
    }
}
