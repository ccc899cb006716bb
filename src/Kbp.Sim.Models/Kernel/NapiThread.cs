namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// A threaded NAPI's kernel thread, napi/&lt;dev&gt;-&lt;id&gt; (net/core/dev.c
/// napi_threaded_poll, 5.12+; kernel-mechanics §2.6): woken by ____napi_schedule when the
/// napi has NAPI_STATE_THREADED, it polls its one napi with bottom halves disabled
/// (local_bh_disable; __napi_poll; local_bh_enable, which runs other pending softIRQs),
/// again while the napi stays scheduled, with cond_resched() between polls, and sleeps
/// when the napi completes. SCHED_NORMAL by default, so it competes for its CPU like any
/// fair thread; chrt can make it real-time. The model binds it to the napi's CPU.
/// </summary>
public sealed class NapiThread : KThread
{
    private readonly Napi _napi;
    private readonly Action _run;
    private readonly Action<int> _afterPoll;
    private bool _scheduled;

    internal NapiThread(Napi napi, SchedPolicy policy, int priority)
        : base(napi.Cpu, $"napi/{napi.Name}", policy, priority, userMode: false)
    {
        _napi = napi;
        _run = Run;
        _afterPoll = AfterPoll;
    }

    /// <summary>Polls run.</summary>
    public long Polls { get; private set; }

    /// <summary>napi_schedule with NAPI_STATE_THREADED: the thread is woken, no softIRQ is raised.</summary>
    internal void Schedule()
    {
        _scheduled = true;
        Wake();
    }

    /// <inheritdoc/>
    protected override void Run()
    {
        if (!_scheduled)
        {
            Sleep();
            return;
        }

        _scheduled = false;
        Polls++;
        _napi.Poll(BhContext, _napi.Weight, _afterPoll);
    }

    private void AfterPoll(int work)
    {
        // A napi that used its whole weight is still scheduled: poll it again.
        if (_napi.IsScheduled)
        {
            _scheduled = true;
        }

        Cpu.Softirq.LocalBhEnable(BhContext, () => CondResched(_run));
    }
}
