namespace Kbp.Sim.Models.Kernel;

/// <summary>A thread's scheduling policy (sched_setscheduler).</summary>
public enum SchedPolicy
{
    /// <summary>SCHED_NORMAL, CFS, nice 0.</summary>
    Fair,

    /// <summary>SCHED_FIFO: runs until it blocks or yields; beats every fair thread.</summary>
    Fifo,

    /// <summary>SCHED_RR: FIFO with a 100 ms round-robin slice among equal priorities.</summary>
    Rr,
}
