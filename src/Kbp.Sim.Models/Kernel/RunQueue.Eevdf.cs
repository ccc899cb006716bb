namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// The EEVDF half of the fair class (kernel/sched/fair.c, 6.6+; kernel-mechanics §6.2),
/// used when <see cref="KernelOptions.UsesEevdf"/>: eligibility by the average vruntime, the
/// earliest virtual deadline among the eligible, and PLACE_LAG: a thread keeps the lag it
/// had when it went to sleep. DELAY_DEQUEUE (6.12) is not modelled: a sleeper with negative
/// lag leaves the queue at once and keeps that lag.
/// </summary>
public sealed partial class RunQueue
{
    // se->vlag of each sleeping fair thread, saved when it blocked (all nice 0: virtual = wall ns).
    private readonly Dictionary<KThread, long> _vlagNs = new();

    /// <summary>The lag <paramref name="thread"/> saved when it last went to sleep on this CPU (se->vlag), ns; 0 if none.</summary>
    internal long SavedLagNs(KThread thread) => _vlagNs.GetValueOrDefault(thread);

    /// <summary>
    /// place_entity() with PLACE_LAG: the woken thread goes to V − lag · (W + w) / W, where V
    /// is the average vruntime of the others, lag the vlag it saved and W their load (all
    /// nice 0: their count), so that its lag is the saved one once it has joined; alone, it
    /// keeps its vruntime (at least min_vruntime). The deadline is one base slice ahead.
    /// </summary>
    private void PlaceEevdf(KThread thread)
    {
        int others = _fair.Count + (_current is { IsRealTime: false } ? 1 : 0);
        if (AverageVruntime() is long average && others > 0)
        {
            long lag = SavedLagNs(thread);
            thread.VruntimeNs = average - (lag * (others + 1) / others);
        }
        else
        {
            thread.VruntimeNs = Math.Max(thread.VruntimeNs, MinVruntimeNs);
        }

        thread.DeadlineNs = thread.VruntimeNs + _options.SchedBaseSliceNs;
    }

    /// <summary>
    /// update_entity_lag() as the thread is dequeued to sleep: vlag = V − vruntime, clamped to
    /// ± max(2 · slice, TICK_NSEC) (nice 0: calc_delta_fair is the identity).
    /// </summary>
    private void SaveLagEevdf(KThread thread)
    {
        if (!_options.UsesEevdf || thread.IsRealTime || AverageVruntime() is not long average)
        {
            return;
        }

        long limitNs = Math.Max(2 * _options.SchedBaseSliceNs, _options.TickNs);
        _vlagNs[thread] = Math.Clamp(average - thread.VruntimeNs, -limitNs, limitNs);
    }

    /// <summary>
    /// pick_eevdf(): among the eligible fair threads (vruntime at or below the average,
    /// i.e. lag ≥ 0; all nice 0), the one with the earliest virtual deadline.
    /// </summary>
    private KThread? PickEevdf(bool includeCurrent)
    {
        KThread? current = includeCurrent && _current is { IsRealTime: false } c ? c : null;
        long? average = AverageVruntime();
        KThread? best = null;
        foreach (KThread t in current is null ? _fair : _fair.Append(current))
        {
            if (t.VruntimeNs <= average && (best is null || t.DeadlineNs < best.DeadlineNs))
            {
                best = t;
            }
        }

        return best ?? LeftmostFair();
    }

    /// <summary>avg_vruntime(): the mean vruntime of the runnable fair threads, current included; null when there are none.</summary>
    private long? AverageVruntime()
    {
        int n = _fair.Count;
        Int128 sum = 0;
        foreach (KThread t in _fair)
        {
            sum += t.VruntimeNs;
        }

        if (_current is { IsRealTime: false } c)
        {
            sum += c.VruntimeNs;
            n++;
        }

        return n == 0 ? null : (long)(sum / n);
    }

    private bool IsEligible(KThread t) => AverageVruntime() is not long v || t.VruntimeNs <= v;
}
