namespace Kbp.Sim.Models.Packets;

/// <summary>
/// Why a packet waited. Every delay a model imposes on a packet is charged to one of
/// these, so a user can ask what made the worst packets slow.
/// </summary>
public enum WaitCause
{

    /// <summary>Serialization on a link or NIC, and frames queued ahead on the Tx ring.</summary>
    NicSerialization = 0,

    /// <summary>Waiting in a NIC Rx ring or virtqueue for the poller (interrupt moderation, poll order).</summary>
    RingQueueing,

    /// <summary>Waiting for an interrupt held back by moderation (ITR) or masked by NAPI.</summary>
    InterruptModeration,

    /// <summary>On the poll_list while NET_RX ran inline (behind other packets, other vectors, budget).</summary>
    PollList,

    /// <summary>NET_RX was deferred to ksoftirqd, which waited for its CFS turn.</summary>
    SoftirqDeferred,

    /// <summary>Behind hardIRQs and other softIRQ vectors (TIMER, RCU, SCHED, BLOCK) on the CPU.</summary>
    SoftirqCompetition,

    /// <summary>A thread on the path (vhost, application, KBP) waited for its CPU behind another thread.</summary>
    ThreadRunqueue,

    /// <summary>The guest's vCPU thread was off its host CPU (preempted, descheduled or halted).</summary>
    VcpuStopped,

    /// <summary>Time for a blocked reader or worker to be woken and switched in.</summary>
    Wakeup,



    /// <summary>Waiting in a socket receive queue for the application.</summary>
    SocketQueue,

    /// <summary>
    /// A processing step took longer than its nominal cost for no other recorded reason:
    /// the CPU ran below its nominal clock (governor frequency).
    /// </summary>
    CpuFrequency,
}
