using Kbp.Sim.Events;
using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// The 6.12 fair server (rq->fair_server, a deferred dl_server; kernel/sched/deadline.c,
/// kernel/sched/fair.c; kernel-mechanics §6.3): 50 ms of runtime per 1 s period for the fair
/// class, even against RT. dl_server_start when a fair thread is enqueued: the period ends
/// one period from now, and the server defers itself to its zero-laxity time (deadline −
/// runtime). Fair threads that run on their own meanwhile (no RT, or RT throttled) spend its
/// runtime (update_curr → dl_server_update). If runtime is left at the zero-laxity time and a
/// fair thread still waits, the server runs it as a deadline entity, above RT, until the
/// runtime is spent; at the deadline it is replenished and defers again. dl_server_stop when
/// no fair thread is runnable.
/// </summary>
public sealed partial class RunQueue
{
    /// <summary>The fair server's runtime per period (fair_server_init: 50 ms).</summary>
    public static readonly long FairServerRuntimeNs = 50 * SimTime.NsPerMs;

    /// <summary>The fair server's period (fair_server_init: 1 s).</summary>
    public static readonly long FairServerPeriodNs = SimTime.NsPerS;

    private EventCallback? _fairServerTimer;
    private EventHandle _fairServerTimerHandle;
    private bool _fairServerStarted;
    private long _fairServerRuntimeNs;
    private long _fairServerDeadlineNs;

    /// <summary>True while the fair server runs fair threads above RT.</summary>
    public bool FairServerBoosting { get; private set; }

    /// <summary>Times the fair server had to run fair threads above RT.</summary>
    public long FairServerBoosts { get; private set; }

    private bool HasFairServer => _options.Version == KernelVersion.V6_12;

    private bool FairRunnable => _fair.Count > 0 || _current is { IsRealTime: false };

    /// <summary>
    /// dl_server_start on a fair enqueue (update_dl_entity): a period whose deadline has passed
    /// is replaced by a new one from now; otherwise the server resumes its period, deferred
    /// to the zero-laxity time of the runtime it has left.
    /// </summary>
    private void FairServerEnqueued()
    {
        if (!HasFairServer || _fairServerStarted)
        {
            return;
        }

        _fairServerStarted = true;
        if (NowNs >= _fairServerDeadlineNs)
        {
            _fairServerRuntimeNs = FairServerRuntimeNs;
            _fairServerDeadlineNs = NowNs + FairServerPeriodNs;
        }

        ArmFairServerTimer();
    }

    /// <summary>dl_server_stop once no fair thread is runnable; the period and the runtime left are kept.</summary>
    private void FairServerDequeued()
    {
        if (!_fairServerStarted || FairRunnable)
        {
            return;
        }

        _fairServerStarted = false;
        FairServerBoosting = false;
        CancelFairServerTimer();
    }

    /// <summary>dl_server_update: fair run time spends the server's runtime; spent while boosting, RT may run again.</summary>
    private void FairServerCharge(long deltaNs)
    {
        if (!_fairServerStarted)
        {
            return;
        }

        _fairServerRuntimeNs -= deltaNs;
        if (_fairServerRuntimeNs <= 0 && FairServerBoosting)
        {
            // Throttled until the deadline, when the timer replenishes it.
            FairServerBoosting = false;
            if (_rt.Count > 0 && !RtThrottled)
            {
                NeedResched = true;
            }
        }
    }

    /// <summary>The zero-laxity time (deadline − runtime left) while runtime is left; the deadline otherwise.</summary>
    private void ArmFairServerTimer()
    {
        _fairServerTimer ??= _ => OnFairServerTimer();
        CancelFairServerTimer();
        long atNs = _fairServerRuntimeNs > 0 && !FairServerBoosting
            ? Math.Max(NowNs, _fairServerDeadlineNs - _fairServerRuntimeNs)
            : _fairServerDeadlineNs;
        _fairServerTimerHandle = _cpu.Kernel.Sim.Schedule(atNs, _fairServerTimer);
    }

    /// <summary>
    /// The server's timer. At the deadline: a new period (replenished, deferred again). At the
    /// zero-laxity time with runtime left: the server runs the fair threads above RT until the
    /// runtime is spent or the deadline comes.
    /// </summary>
    private void OnFairServerTimer()
    {
        _fairServerTimerHandle = default;
        UpdateCurrent();
        if (!_fairServerStarted)
        {
            return;
        }

        if (NowNs >= _fairServerDeadlineNs)
        {
            FairServerBoosting = false;
            _fairServerRuntimeNs = FairServerRuntimeNs;
            _fairServerDeadlineNs = NowNs + FairServerPeriodNs;
            ArmFairServerTimer();
            if (_rt.Count > 0 && !RtThrottled && _current is { IsRealTime: false })
            {
                RequestResched();
            }

            return;
        }

        if (_fairServerRuntimeNs > 0 && !FairServerBoosting)
        {
            FairServerBoosting = true;
            FairServerBoosts++;
            TraceMark(FairServerMark, "the fair server's zero-laxity time: fair threads run above RT for the runtime left");
            if (_current is { IsRealTime: true })
            {
                RequestResched();
            }
        }

        ArmFairServerTimer();
    }

    private void CancelFairServerTimer()
    {
        if (!_fairServerTimerHandle.IsNone)
        {
            _cpu.Kernel.Sim.Cancel(_fairServerTimerHandle);
            _fairServerTimerHandle = default;
        }
    }

    /// <summary>The trace context of the instant the fair server starts running fair threads above RT.</summary>
    public const string FairServerMark = "sched:fair-server";
}
