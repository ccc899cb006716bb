using System.Diagnostics;
using Kbp.Sim.Events;
using MathNet.Numerics.Distributions;

namespace Kbp.Sim.Benchmarking;

/// <summary>What one hold-model measurement found.</summary>
/// <param name="PendingEvents">Events kept pending throughout.</param>
/// <param name="Events">Events fired while the clock ran.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds for those events.</param>
public readonly record struct HoldResult(int PendingEvents, long Events, double ElapsedSeconds)
{
    /// <summary>Fired events per wall-clock second.</summary>
    public double EventsPerSecond => Events / ElapsedSeconds;
}

/// <summary>
/// The classic hold model for event-queue speed (Jones, "An empirical comparison of
/// priority-queue and event-set implementations", CACM 1986; used by ns-3 and SimSharp):
/// keep N events pending; each fired event schedules one more at now + Exp(mean), so the
/// queue size stays N while every step costs one pop, one push and one callback.
/// </summary>
public sealed class HoldModel
{
    private readonly Simulator _sim;
    private readonly Random _random;
    private readonly double _rate;
    private readonly EventCallback _onEvent;
    private long _remaining;

    /// <summary>Builds the model on <paramref name="sim"/> and pre-fills <paramref name="pendingEvents"/> events.</summary>
    /// <param name="sim">A fresh simulator.</param>
    /// <param name="pendingEvents">Queue size N.</param>
    /// <param name="meanDelayNs">Mean of the exponential hold time.</param>
    public HoldModel(Simulator sim, int pendingEvents, double meanDelayNs = 1_000.0)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pendingEvents);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(meanDelayNs);
        _sim = sim;
        _random = sim.Random.For("hold");
        _rate = 1.0 / meanDelayNs;
        _onEvent = OnEvent;
        PendingEvents = pendingEvents;
        for (int i = 0; i < pendingEvents; i++)
        {
            _sim.ScheduleAfter(NextDelayNs(), _onEvent);
        }
    }

    /// <summary>Queue size N.</summary>
    public int PendingEvents { get; }

    /// <summary>Fires <paramref name="events"/> events without timing them (JIT warm-up).</summary>
    public void Advance(long events)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        if (events == 0)
        {
            return;
        }

        _remaining = events;
        _sim.Run();
    }

    /// <summary>Fires <paramref name="events"/> events and reports the wall-clock rate.</summary>
    public HoldResult Measure(long events)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(events);
        long start = Stopwatch.GetTimestamp();
        Advance(events);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new HoldResult(PendingEvents, events, seconds);
    }

    private void OnEvent(long unused)
    {
        _sim.ScheduleAfter(NextDelayNs(), _onEvent);
        if (--_remaining == 0)
        {
            _sim.Stop();
        }
    }

    private long NextDelayNs() => (long)Exponential.Sample(_random, _rate);
}
