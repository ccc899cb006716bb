using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Applications;

/// <summary>
/// One <c>stress-ng --cpu 1</c> worker pinned with taskset: a SCHED_NORMAL user thread that
/// computes without ever sleeping, so it is always runnable on its CPU and takes whatever
/// the scheduler gives it (the real-kernel harness's contention).
/// </summary>
public sealed class StressNgCpu : KThread
{
    private readonly Action _run;

    /// <summary>Creates the worker on <paramref name="cpu"/> and starts it.</summary>
    public StressNgCpu(KernelCpu cpu)
        : base(cpu, "stress-ng-cpu", SchedPolicy.Fair, 0, userMode: true)
    {
        _run = Run;
        Wake();
    }

    /// <inheritdoc/>
    protected override void Run() => Execute(WorkItem.Unbounded, _run);
}
