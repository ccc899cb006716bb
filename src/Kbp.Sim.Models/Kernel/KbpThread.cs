namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// The KBP kernel busy-poll thread (Fujimoto et al., §4; kernel-module/kbp.c): bound to its
/// CPU, it checks its poll list; for each napi it disables bottom halves, polls up to the
/// weight, requeues a napi that used its whole weight, and re-enables bottom halves
/// (which runs other pending softIRQs, never NET_RX: it is never raised). With an empty
/// list it spins (busy) or sleeps until <see cref="KbpNapiScheduler"/> wakes it.
/// It counts what the module counts (<see cref="Stats"/>, kbp.c's <c>struct kbp_stats</c>).
/// </summary>
public sealed class KbpThread : KThread
{
    /// <summary>The schedule time of a requeued napi: it gives no schedule-to-poll sample.</summary>
    private const long Requeued = -1;

    private readonly KbpOptions _options;
    private readonly Action _run;
    private readonly Action<int> _afterPoll;
    private readonly Action _afterBhEnable;
    private readonly KbpCounters _stats = new();

    // When each napi on PollList was scheduled, in list order (kbp.c's stamp FIFO).
    private readonly Queue<long> _scheduledAtNs = new();

    // List nodes are recycled, so scheduling and requeueing allocate nothing in steady state.
    private readonly Stack<LinkedListNode<Napi>> _freeNodes = new();
    private LinkedListNode<Napi>? _polling;
    private bool _rescheduledWhilePolling;
    private bool _spinning;
    private long _spinCountedToRunNs;
    private long _spinTurns;
    private bool _idleCounted;

    internal KbpThread(KernelCpu cpu, KbpOptions options)
        : base(cpu, $"kbp/{cpu.Id}", options.Policy, options.Priority, userMode: false)
    {
        _options = options;
        _run = Run;
        _afterPoll = AfterPoll;
        _afterBhEnable = () => CondResched(_run);
    }

    /// <summary>The napis waiting for this thread.</summary>
    public LinkedList<Napi> PollList { get; } = new();

    /// <summary>
    /// What the module's statistics file reports for this thread, counted the same way; reading
    /// it brings the idle loops of a spin in progress up to date, as the module's live counters are.
    /// </summary>
    public KbpCounters Stats
    {
        get
        {
            if (_spinning)
            {
                CountSpin(ended: false);
            }

            return _stats;
        }
    }

    /// <summary>Polls run.</summary>
    public long Polls => _stats.Polls;

    /// <summary>Polls that found nothing.</summary>
    public long EmptyPolls => _stats.EmptyPolls;

    /// <summary>Polls that used the full weight and were requeued.</summary>
    public long FullWeightRequeues => _stats.Requeues;

    /// <summary>
    /// kbp_schedule_irqs_off(): <paramref name="napi"/> joins the list; a spinning thread
    /// notices at the end of its loop turn, a sleeping one is woken.
    /// </summary>
    internal void Schedule(Napi napi)
    {
        if (_freeNodes.TryPop(out LinkedListNode<Napi>? node))
        {
            node.Value = napi;
            PollList.AddLast(node);
        }
        else
        {
            PollList.AddLast(napi);
        }

        _scheduledAtNs.Enqueue(Cpu.Kernel.Sim.NowNs);
        _stats.Schedules++;
        if (ReferenceEquals(napi, _polling?.Value))
        {
            // Completed and scheduled again before the poll returned (virtqueue_poll found
            // more buffers): it is on the list already and must not be requeued as well.
            _rescheduledWhilePolling = true;
        }

        if (State == TaskState.Sleeping)
        {
            _stats.Wakeups++;
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
        if (_spinning)
        {
            CountSpin(ended: true);
        }

        if (PollList.Count == 0)
        {
            if (_options.IdleMode == KbpIdleMode.Sleep)
            {
                // One nap per idle period (a re-check after a switch is not another turn).
                if (!_idleCounted)
                {
                    _idleCounted = true;
                    _stats.IdleLoops++;
                }

                Sleep();
                return;
            }

            // Spin until a napi arrives; the loop's cond_resched() makes this a preemption point.
            _spinning = true;
            _spinTurns = 0;
            _spinCountedToRunNs = Item.RunTimeNs;
            BusyPoll(_options.PollLoopNs, _run);
            return;
        }

        _idleCounted = false;
        LinkedListNode<Napi> first = PollList.First!;
        PollList.Remove(first);
        long scheduledAtNs = _scheduledAtNs.Count > 0 ? _scheduledAtNs.Dequeue() : Requeued;
        if (scheduledAtNs != Requeued)
        {
            _stats.AddSchedToPoll(Cpu.Kernel.Sim.NowNs - scheduledAtNs);
        }

        _polling = first;
        _rescheduledWhilePolling = false;
        first.Value.Poll(BhContext, _options.Weight, _afterPoll);
    }

    /// <summary>
    /// The empty turns of a busy spin are not simulated one by one: they are counted from the
    /// spin's CPU time, whole turns of <see cref="KbpOptions.PollLoopNs"/>, at least one per spin.
    /// </summary>
    private void CountSpin(bool ended)
    {
        long loopNs = Math.Max(1, _options.PollLoopNs);
        long turns = (Item.RunTimeNs - _spinCountedToRunNs) / loopNs;
        _spinCountedToRunNs += turns * loopNs;
        _spinTurns += turns;
        _stats.IdleLoops += turns;
        if (ended)
        {
            _stats.IdleLoops += _spinTurns == 0 ? 1 : 0;
            _spinning = false;
        }
    }

    /// <summary>kbp_poll() after poll() returned <paramref name="work"/>: count, requeue a napi still owned, local_bh_enable().</summary>
    private void AfterPoll(int work)
    {
        LinkedListNode<Napi> node = _polling!;
        _polling = null;
        _stats.Polls++;
        _stats.Packets += work;
        if (work == 0)
        {
            _stats.EmptyPolls++;
        }

        _stats.Batch.Add(work);

        // A napi that did not complete used its whole weight and still belongs to the poller.
        if (node.Value.IsScheduled && !_rescheduledWhilePolling)
        {
            _stats.Requeues++;
            PollList.AddLast(node);
            _scheduledAtNs.Enqueue(Requeued);
        }
        else
        {
            _freeNodes.Push(node);
        }

        Cpu.Softirq.LocalBhEnable(BhContext, _afterBhEnable);
    }
}
