using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Explaining;

/// <summary>Each <see cref="WaitCause"/> in a few plain words, naming the kernel mechanism.</summary>
public static class CauseWords
{
    /// <summary>The mechanism behind <paramref name="cause"/>.</summary>
    public static string Of(WaitCause cause) => cause switch
    {
        WaitCause.NicSerialization => "NIC serialization at line rate, frames queued ahead on the Tx ring",
        WaitCause.RingQueueing => "in a ring or virtqueue behind earlier frames",
        WaitCause.InterruptModeration => "interrupt held back by moderation (ITR) or masked while NAPI polls",
        WaitCause.PollList => "on the poll_list while NET_RX ran inline (other napis, budget)",
        WaitCause.SoftirqDeferred => "NET_RX deferred to ksoftirqd, a CFS thread waiting for its turn",
        WaitCause.SoftirqCompetition => "hardIRQs and other softIRQ vectors (TIMER, RCU, SCHED, BLOCK) on the CPU",
        WaitCause.ThreadRunqueue => "a thread on the path (vhost, application, KBP) runnable behind another thread",
        WaitCause.VcpuStopped => "the guest's vCPU thread off its host CPU (preempted or descheduled)",
        WaitCause.Wakeup => "a blocked reader or worker being woken and switched in",
        WaitCause.SocketQueue => "in the socket receive queue for the application",
        WaitCause.CpuFrequency => "the CPU below its nominal clock (governor)",
        _ => cause.ToString(),
    };
}
