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
        if (waitNs > 0)
        {
            packet.Observer?.OnCharging(packet, cpu.Processor.Name, consumer?.Name, queuedNs);
            Distribute(packet, waitNs, atQueue, Snapshot(cpu, consumer), deferral: true, movedFrom: null, residualCause);
            packet.Observer?.OnCharged(packet);
        }
    }

    /// <summary>
    /// Charges the stretch of a processing step of <paramref name="packet"/>: the time
    /// beyond its nominal <paramref name="serviceNs"/> since <paramref name="startNs"/>,
    /// which the step spent preempted or stopped (a vCPU taken off its host CPU mid-step,
    /// a hardIRQ, a more urgent thread) or running slowly. A step in progress is not
    /// waiting for ksoftirqd, so deferral is not a cause here.
    /// </summary>
    public static void ChargeStretch(Packet packet, long startNs, long serviceNs, in WaitSnapshot atStart, KernelCpu cpu, KThread? thread)
    {
        long stretchNs = cpu.Kernel.Sim.NowNs - startNs - serviceNs;
        if (stretchNs > 0)
        {
            packet.Observer?.OnCharging(packet, cpu.Processor.Name, thread?.Name, startNs);
            Distribute(packet, stretchNs, atStart, Snapshot(cpu, thread), deferral: false, movedFrom: null, WaitCause.CpuFrequency);
            packet.Observer?.OnCharged(packet);
        }
    }

    /// <summary>
    /// Re-attributes <paramref name="waitNs"/> of <paramref name="packet"/>'s wait charged to
    /// <paramref name="generic"/> (by a model that could not know better, such as the NIC)
    /// to what kept <paramref name="cpu"/> (and its polling thread <paramref name="poller"/>,
    /// if any) from polling since <paramref name="atQueue"/>.
    /// </summary>
    public static void Reattribute(Packet packet, WaitCause generic, long waitNs, in WaitSnapshot atQueue, KernelCpu cpu, KThread? poller = null)
    {
        if (waitNs > 0)
        {
            packet.Observer?.OnCharging(packet, cpu.Processor.Name, poller?.Name, cpu.Kernel.Sim.NowNs - waitNs);
            Distribute(packet, waitNs, atQueue, Snapshot(cpu, poller), deferral: true, movedFrom: generic, residual: null);
            packet.Observer?.OnCharged(packet);
        }
    }

    /// <summary>
    /// Splits <paramref name="waitNs"/> over the blocking states, in a fixed order, by how
    /// much each overlapped it; adds the parts (or moves them out of
    /// <paramref name="movedFrom"/>), and the rest to <paramref name="residual"/> if given.
    /// </summary>
    private static void Distribute(Packet packet, long waitNs, in WaitSnapshot before, in WaitSnapshot after, bool deferral, WaitCause? movedFrom, WaitCause? residual)
    {
        long left = waitNs;
        left = Part(packet, WaitCause.VcpuStopped, after.VcpuStoppedNs - before.VcpuStoppedNs, left, movedFrom);
        if (deferral)
        {
            left = Part(packet, WaitCause.SoftirqDeferred, after.KsoftirqdWaitNs - before.KsoftirqdWaitNs, left, movedFrom);
        }

        left = Part(packet, WaitCause.ThreadRunqueue, after.ThreadWaitNs - before.ThreadWaitNs, left, movedFrom);
        left = Part(packet, WaitCause.SoftirqCompetition, after.CompetitionNs - before.CompetitionNs, left, movedFrom);
        if (left > 0 && residual is { } rest)
        {
            packet.AddWait(rest, left);
        }
    }

    private static long Part(Packet packet, WaitCause cause, long overlapNs, long leftNs, WaitCause? movedFrom)
    {
        long part = Math.Clamp(overlapNs, 0, leftNs);
        if (part > 0)
        {
            if (movedFrom is { } from)
            {
                packet.MoveWait(from, cause, part);
            }
            else
            {
                packet.AddWait(cause, part);
            }
        }

        return leftNs - part;
    }
}
