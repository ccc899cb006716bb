namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// ksoftirqd/N (kernel/softirq.c run_ksoftirqd via smpboot_thread_fn): a per-CPU kernel
/// thread, SCHED_NORMAL nice 0 (kernel-mechanics §1.5). While softIRQs are pending it runs
/// __do_softirq with bottom halves off, then cond_resched(); it sleeps only when nothing
/// is pending, so under sustained load it competes for the CPU as an ordinary CFS task.
/// </summary>
public sealed class Ksoftirqd : KThread
{
    internal Ksoftirqd(KernelCpu cpu)
        : base(cpu, $"ksoftirqd/{cpu.Id}", SchedPolicy.Fair, 0, userMode: false)
    {
    }

    /// <inheritdoc/>
    protected override void Run()
    {
        if (Cpu.Softirq.Pending == 0)
        {
            Sleep();
            return;
        }

        Cpu.Softirq.DoSoftirq(BhContext, () => CondResched(Run));
    }
}
