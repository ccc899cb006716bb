namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// The EEVDF half of the fair class (kernel/sched/fair.c, 6.6+; kernel-mechanics §6.2),
/// used when <see cref="KernelOptions.UsesEevdf"/>: eligibility by the average vruntime and
/// the earliest virtual deadline among the eligible.
/// </summary>
public sealed partial class RunQueue
{
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
