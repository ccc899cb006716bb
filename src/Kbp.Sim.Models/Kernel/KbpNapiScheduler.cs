namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// The KBP livepatch of __napi_schedule / __napi_schedule_irqoff: the napi goes onto the
/// KBP thread's list of this CPU and NET_RX_SOFTIRQ is not raised. CPUs without a KBP
/// thread keep the stock behaviour (kernel-mechanics §2.8). The backlog napi of
/// netif_rx/veth/loopback is scheduled by an inlined call the patch cannot reach, so it
/// keeps raising NET_RX (the module's coverage limit, kernel-module/README.md).
/// </summary>
public sealed class KbpNapiScheduler : INapiScheduler
{
    private readonly Dictionary<int, KbpThread> _threads = new();

    /// <summary>Starts one KBP thread per configured CPU of <paramref name="kernel"/> and installs itself.</summary>
    public KbpNapiScheduler(Kernel kernel, KbpOptions options)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        foreach (int cpu in options.Cpus)
        {
            var thread = new KbpThread(kernel.Cpus[cpu], options);
            _threads.Add(cpu, thread);
            thread.Wake();
        }

        kernel.NapiScheduler = this;
    }

    /// <summary>The KBP threads by CPU.</summary>
    public IReadOnlyDictionary<int, KbpThread> Threads => _threads;

    /// <inheritdoc/>
    public void Schedule(Napi napi)
    {
        if (_threads.TryGetValue(napi.Cpu.Id, out KbpThread? thread))
        {
            thread.Schedule(napi);
        }
        else
        {
            StockNapiScheduler.Instance.Schedule(napi);
        }
    }
}
