using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Virtualization;

/// <summary>
/// KVM halt polling (virt/kvm/kvm_main.c <c>kvm_vcpu_block</c>, <c>grow_halt_poll_ns</c>,
/// <c>shrink_halt_poll_ns</c>; kernel-mechanics §4.3): a vCPU that executes HLT first spins
/// on the host for its own poll window, so an interrupt arriving inside it needs no host
/// wakeup. The window adapts per vCPU: it starts at 0, grows to <see cref="GrowStartNs"/>
/// and then doubles after a halt shorter than the cap, and shrinks after a halt longer
/// than the cap.
/// </summary>
public sealed record HaltPolling
{
    /// <summary>
    /// <c>halt_poll_ns</c>, the cap of every vCPU's window, ns [200 µs:
    /// <c>KVM_HALT_POLL_NS_DEFAULT</c> on x86 in 4.15, 6.1 and 6.12]; 0 disables polling.
    /// </summary>
    public long CapNs { get; init; } = 200 * SimTime.NsPerUs;

    /// <summary>The first non-zero window, ns [10 µs: hard-coded in 4.15, <c>halt_poll_ns_grow_start</c> since 5.x].</summary>
    public long GrowStartNs { get; init; } = 10 * SimTime.NsPerUs;

    /// <summary><c>halt_poll_ns_grow</c> [2].</summary>
    public int Grow { get; init; } = 2;

    /// <summary>
    /// <c>halt_poll_ns_shrink</c> [0 in 4.15 and 6.1: a long halt resets the window to 0;
    /// 2 in 6.12: it halves, and a window below <see cref="GrowStartNs"/> becomes 0
    /// (kernel-mechanics §4.3)].
    /// </summary>
    public int Shrink { get; init; }

    /// <summary>The defaults of a host kernel release.</summary>
    public static HaltPolling For(KernelVersion version, long capNs) => new()
    {
        CapNs = capNs,
        Shrink = version == KernelVersion.V6_12 ? 2 : 0,
    };

    /// <summary>
    /// The window after a halt of <paramref name="blockNs"/> with window
    /// <paramref name="windowNs"/>: kvm_vcpu_block's adjustment (no change when the halt fit
    /// in the window; shrink after a halt longer than the cap; grow after one shorter than it).
    /// </summary>
    public long Adjust(long windowNs, long blockNs)
    {
        if (CapNs == 0)
        {
            return 0;
        }

        if (blockNs <= windowNs)
        {
            return windowNs;
        }

        if (windowNs > 0 && blockNs > CapNs)
        {
            long shrunk = Shrink == 0 ? 0 : windowNs / Shrink;
            return shrunk < GrowStartNs ? 0 : shrunk;
        }

        if (windowNs < CapNs && blockNs < CapNs)
        {
            long grown = windowNs == 0 ? GrowStartNs : windowNs * Grow;
            return Math.Min(grown, CapNs);
        }

        return windowNs;
    }
}
