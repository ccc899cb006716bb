namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// The KBP kernel busy-poll thread (Fujimoto et al., §4; kernel-module/kbp.c): bound to its
/// CPU, it checks its poll list; for each napi it disables bottom halves, polls up to the
/// weight, requeues a napi that used its whole weight, and re-enables bottom halves
/// (which runs other pending softIRQs, never NET_RX: it is never raised). With an empty
/// list it spins (busy) or sleeps until <see cref="KbpNapiScheduler"/> wakes it.
/// </summary>
public sealed class KbpThread : KThread
{
    private readonly KbpOptions _options;
    private readonly Action _run;

    internal KbpThread(KernelCpu cpu, KbpOptions options)
        : base(cpu, $"kbp/{cpu.Id}", options.Policy, options.Priority, userMode: false)
    {
        _options = options;
        _run = Run;
    }

    /// <summary>The napis waiting for this thread.</summary>
    public LinkedList<Napi> PollList { get; } = new();

    /// <summary>Polls run.</summary>
    public long Polls { get; private set; }

    /// <summary>Polls that found nothing.</summary>
    public long EmptyPolls { get; private set; }

    /// <summary>Polls that used the full weight and were requeued.</summary>
    public long FullWeightRequeues { get; private set; }

    /// <summary>A napi was added: a spinning thread notices at the end of its loop turn; a sleeping one is woken.</summary>
    internal void OnNapiQueued()
    {
        if (State == TaskState.Sleeping)
        {
            Wake();
        }
        else
        {
            NoticeWork();
        }
    }

    /// <inheritdoc/>
    protected override void Run()
    {
        if (PollList.Count == 0)
        {
            if (_options.IdleMode == KbpIdleMode.Sleep)
            {
                Sleep();
                return;
            }

            // Spin until a napi arrives; the loop's cond_resched() makes this a preemption point.
            BusyPoll(_options.PollLoopNs, _run);
            return;
        }

        Napi napi = PollList.First!.Value;
        PollList.RemoveFirst();
        Polls++;
        napi.Poll(BhContext, _options.Weight, work =>
        {
            if (work == 0)
            {
                EmptyPolls++;
            }

            if (work >= _options.Weight && napi.Weight <= _options.Weight)
            {
                FullWeightRequeues++;
                PollList.AddLast(napi);
            }

            Cpu.Softirq.LocalBhEnable(BhContext, () => CondResched(_run));
        });
    }
}
