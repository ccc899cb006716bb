using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Kernel;

/// <summary>What was blocking a CPU's packet processing, as running totals at one instant.</summary>
/// <param name="VcpuStoppedNs">Guest CPUs: time the vCPU thread was off its host CPU though not halted.</param>
/// <param name="KsoftirqdWaitNs">Time ksoftirqd was runnable but waiting for the CPU (deferred softIRQs waited with it).</param>
/// <param name="CompetitionNs">Time in hardIRQs and in softIRQ vectors other than NET_RX.</param>
/// <param name="ThreadWaitNs">Time the consuming thread (if any) was runnable but not running.</param>
public readonly record struct WaitSnapshot(long VcpuStoppedNs, long KsoftirqdWaitNs, long CompetitionNs, long ThreadWaitNs);

/// <summary>
/// Attributes a packet's wait in a queue to the mechanisms that kept its consumer from
/// serving it. The consumer's blocking states are running totals; the difference between
/// their values when the packet was queued and when it was taken is how long each state
/// overlapped the wait. The overlap is charged in a fixed order (vCPU stopped, softIRQs
/// deferred to ksoftirqd, a thread's run-queue wait, hardIRQ/softIRQ competition); what is
/// left is ordinary queueing behind earlier packets, charged to the stage's own cause.
/// </summary>
public static class WaitMeter
{
    /// <summary>The running totals of <paramref name="cpu"/> now, with <paramref name="consumer"/>'s run-queue wait.</summary>
    public static WaitSnapshot Snapshot(KernelCpu cpu, KThread? consumer = null)
    {
        long now = cpu.Kernel.Sim.NowNs;
        return new WaitSnapshot(
            cpu.HostStoppedNs?.Invoke(now) ?? 0,
            cpu.Ksoftirqd.RunqueueWaitNs(now),
            cpu.Processor.BusyNs(CpuClass.HardIrq) + cpu.Softirq.OtherVectorsNs,
            consumer?.RunqueueWaitNs(now) ?? 0);
    }

    /// <summary>Charges <paramref name="packet"/>'s wait since <paramref name="queuedNs"/>.</summary>
    public static void Charge(Packet packet, long queuedNs, in WaitSnapshot atQueue, KernelCpu cpu, KThread? consumer, WaitCause residualCause)
    {
        long waitNs = cpu.Kernel.Sim.NowNs - queuedNs;
        if (waitNs <= 0)
        {
            return;
        }

        WaitSnapshot now = Snapshot(cpu, consumer);
        long left = waitNs;
        left = ChargePart(packet, WaitCause.VcpuStopped, now.VcpuStoppedNs - atQueue.VcpuStoppedNs, left);
        left = ChargePart(packet, WaitCause.SoftirqDeferred, now.KsoftirqdWaitNs - atQueue.KsoftirqdWaitNs, left);
        left = ChargePart(packet, WaitCause.ThreadRunqueue, now.ThreadWaitNs - atQueue.ThreadWaitNs, left);
        left = ChargePart(packet, WaitCause.SoftirqCompetition, now.CompetitionNs - atQueue.CompetitionNs, left);
        if (left > 0)
        {
            packet.AddWait(residualCause, left);
        }
    }

    /// <summary>
    /// Charges the stretch of a processing step of <paramref name="packet"/>: the time
    /// beyond its nominal <paramref name="serviceNs"/> since <paramref name="startNs"/>,
    /// which the step spent preempted or stopped (a vCPU taken off its host CPU mid-step,
    /// a hardIRQ, a more urgent thread) or running slowly.
    /// </summary>
    public static void ChargeStretch(Packet packet, long startNs, long serviceNs, in WaitSnapshot atStart, KernelCpu cpu, KThread? thread)
    {
        long stretchNs = cpu.Kernel.Sim.NowNs - startNs - serviceNs;
        if (stretchNs <= 0)
        {
            return;
        }

        WaitSnapshot now = Snapshot(cpu, thread);
        long left = stretchNs;
        left = ChargePart(packet, WaitCause.VcpuStopped, now.VcpuStoppedNs - atStart.VcpuStoppedNs, left);
        left = ChargePart(packet, WaitCause.ThreadRunqueue, now.ThreadWaitNs - atStart.ThreadWaitNs, left);
        left = ChargePart(packet, WaitCause.SoftirqCompetition, now.CompetitionNs - atStart.CompetitionNs, left);
        if (left > 0)
        {
            packet.AddWait(WaitCause.CpuFrequency, left);
        }
    }

    /// <summary>
    /// Re-attributes <paramref name="waitNs"/> of <paramref name="packet"/>'s wait charged to
    /// <paramref name="generic"/> (by a model that could not know better, such as the NIC)
    /// to what kept <paramref name="cpu"/> from polling since <paramref name="atQueue"/>.
    /// </summary>
    public static void Reattribute(Packet packet, WaitCause generic, long waitNs, in WaitSnapshot atQueue, KernelCpu cpu)
    {
        if (waitNs <= 0)
        {
            return;
        }

        WaitSnapshot now = Snapshot(cpu);
        long left = waitNs;
        left = MovePart(packet, generic, WaitCause.VcpuStopped, now.VcpuStoppedNs - atQueue.VcpuStoppedNs, left);
        left = MovePart(packet, generic, WaitCause.SoftirqDeferred, now.KsoftirqdWaitNs - atQueue.KsoftirqdWaitNs, left);
        MovePart(packet, generic, WaitCause.SoftirqCompetition, now.CompetitionNs - atQueue.CompetitionNs, left);
    }

    private static long MovePart(Packet packet, WaitCause from, WaitCause to, long overlapNs, long leftNs)
    {
        long part = Math.Clamp(overlapNs, 0, leftNs);
        if (part > 0)
        {
            packet.MoveWait(from, to, part);
        }

        return leftNs - part;
    }

    private static long ChargePart(Packet packet, WaitCause cause, long overlapNs, long leftNs)
    {
        long part = Math.Clamp(overlapNs, 0, leftNs);
        if (part > 0)
        {
            packet.AddWait(cause, part);
        }

        return leftNs - part;
    }
}
