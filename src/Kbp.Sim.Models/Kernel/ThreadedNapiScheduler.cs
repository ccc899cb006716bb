namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// Threaded NAPI (echo 1 &gt; /sys/class/net/&lt;dev&gt;/threaded; the upstream relative of
/// KBP): ____napi_schedule wakes the napi's own kernel thread instead of queueing it on
/// the poll_list and raising NET_RX. The backlog napi never comes here (<see cref="Napi.IsBacklog"/>):
/// its threads, backlog_napi/N, came only in 6.10.
/// </summary>
public sealed class ThreadedNapiScheduler : INapiScheduler
{
    private readonly Dictionary<Napi, NapiThread> _threads = new();
    private readonly SchedPolicy _policy;
    private readonly int _priority;

    /// <summary>Installs itself on <paramref name="kernel"/>; threads are created for each napi on its first schedule (dev_set_threaded).</summary>
    public ThreadedNapiScheduler(Kernel kernel, SchedPolicy policy = SchedPolicy.Fair, int priority = 50)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        _policy = policy;
        _priority = priority;
        kernel.NapiScheduler = this;
    }

    /// <summary>The napi threads created so far.</summary>
    public IReadOnlyCollection<NapiThread> Threads => _threads.Values;

    /// <inheritdoc/>
    public void Schedule(Napi napi)
    {
        ArgumentNullException.ThrowIfNull(napi);
        if (!_threads.TryGetValue(napi, out NapiThread? thread))
        {
            thread = new NapiThread(napi, _policy, _priority);
            _threads.Add(napi, thread);
        }

        thread.Schedule();
    }
}
