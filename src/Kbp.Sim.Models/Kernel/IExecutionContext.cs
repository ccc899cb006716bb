namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// Where kernel code runs step by step: the CPU's softIRQ section at irq exit, a thread's
/// bottom-half-disabled section (ksoftirqd, KBP), or a thread's ordinary section. Models
/// of kernel functions (net_rx_action, a NAPI poll) are written against this, so the same
/// code runs wherever the kernel would run it.
/// </summary>
public interface IExecutionContext
{
    /// <summary>The CPU the context runs on.</summary>
    KernelCpu Cpu { get; }

    /// <summary>Spends <paramref name="workNs"/> of nominal CPU time, then calls <paramref name="next"/>.</summary>
    void Execute(long workNs, Action next);
}
