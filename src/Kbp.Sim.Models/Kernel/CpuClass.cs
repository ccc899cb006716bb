namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// The priority classes of a kernel CPU's <see cref="Kbp.Sim.Processing.Processor"/>, most
/// urgent first: a hardIRQ interrupts everything; a softIRQ section (at irq exit, or a
/// thread with bottom halves disabled) is not preempted by threads on a !PREEMPT_RT
/// kernel; real-time (SCHED_FIFO/RR) threads beat fair (CFS) ones.
/// </summary>
public static class CpuClass
{
    /// <summary>hardIRQ handlers.</summary>
    public const int HardIrq = 0;

    /// <summary>softIRQ sections: __do_softirq, and bottom-half-disabled thread sections.</summary>
    public const int Softirq = 1;

    /// <summary>SCHED_FIFO / SCHED_RR threads.</summary>
    public const int RealTime = 2;

    /// <summary>SCHED_NORMAL threads (CFS).</summary>
    public const int Fair = 3;

    /// <summary>Number of classes.</summary>
    public const int Count = 4;
}
