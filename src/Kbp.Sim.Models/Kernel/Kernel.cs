using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// One kernel instance (the host's, or a guest's): its CPUs, policy constants, costs, the
/// jiffies clock and the NAPI scheduling hook that a datapath wires (stock NET_RX or KBP).
/// </summary>
public sealed class Kernel
{
    private readonly long _jiffyPhaseNs;

    /// <summary>
    /// Creates a kernel on the given processors (one per CPU; for a guest, processors gated
    /// by the vCPU threads).
    /// </summary>
    public Kernel(Simulator sim, string name, KernelOptions options, KernelCosts costs, IReadOnlyList<Processor> processors)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(processors);
        Sim = sim;
        Name = name;
        Options = options;
        Costs = costs;
        _jiffyPhaseNs = sim.Random.For(name + "/jiffies").NextInt64(options.TickNs);
        var cpus = new KernelCpu[processors.Count];
        for (int i = 0; i < cpus.Length; i++)
        {
            cpus[i] = new KernelCpu(this, i, processors[i]);
        }

        Cpus = cpus;
        NapiScheduler = new StockNapiScheduler();
    }

    /// <summary>The simulator.</summary>
    public Simulator Sim { get; }

    /// <summary>"host" or "guest".</summary>
    public string Name { get; }

    /// <summary>Policy constants.</summary>
    public KernelOptions Options { get; }

    /// <summary>Calibrated costs.</summary>
    public KernelCosts Costs { get; }

    /// <summary>The CPUs.</summary>
    public IReadOnlyList<KernelCpu> Cpus { get; }

    /// <summary>
    /// What __napi_schedule does on this kernel: queue on the CPU's poll_list and raise
    /// NET_RX (stock), or hand the napi to a KBP thread (the livepatch).
    /// </summary>
    public INapiScheduler NapiScheduler { get; set; }

    /// <summary>The global jiffies counter: ticks of 1/HZ since boot, with a random boot phase.</summary>
    public long Jiffies => (Sim.NowNs + _jiffyPhaseNs) / Options.TickNs;

    /// <summary>Simulated time at which jiffy <paramref name="jiffy"/> begins.</summary>
    public long JiffyStartNs(long jiffy) => (jiffy * Options.TickNs) - _jiffyPhaseNs;
}
