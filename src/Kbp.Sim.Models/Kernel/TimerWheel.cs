namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// The per-CPU timer wheel (kernel/time/timer.c) reduced to what matters here: timers
/// expire on jiffies; the tick raises TIMER_SOFTIRQ when one is due (run_local_timers),
/// and the TIMER softIRQ runs their callbacks, which typically wake a thread.
/// </summary>
public sealed class TimerWheel
{
    private readonly PriorityQueue<Action, (long Jiffy, long Order)> _timers = new();
    private long _order;

    /// <summary>Adds a timer expiring at jiffy <paramref name="expiresJiffy"/> (add_timer).</summary>
    public void Add(long expiresJiffy, Action callback) => _timers.Enqueue(callback, (expiresJiffy, _order++));

    /// <summary>True when a timer is due at <paramref name="jiffies"/>.</summary>
    public bool HasExpired(long jiffies) => _timers.TryPeek(out _, out var key) && key.Jiffy <= jiffies;

    /// <summary>Takes the callbacks of all timers due at <paramref name="jiffies"/>, in order.</summary>
    public int TakeExpired(long jiffies, List<Action> into)
    {
        int n = 0;
        while (_timers.TryPeek(out Action? cb, out var key) && key.Jiffy <= jiffies)
        {
            _timers.Dequeue();
            into.Add(cb);
            n++;
        }

        return n;
    }
}
