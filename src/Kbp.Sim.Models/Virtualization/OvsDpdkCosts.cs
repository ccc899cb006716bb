namespace Kbp.Sim.Models.Virtualization;

/// <summary>Per-frame costs of the OvS-DPDK datapath on a PMD core, nominal ns (calibration parameters).</summary>
/// <param name="PerPacketNs">
/// Burst receive or transmit I/O on the physical port plus OvS's classification and action
/// (miniflow extract, EMC/megaflow lookup, output), per frame.
/// </param>
/// <param name="VhostUserPerPacketNs">
/// rte_vhost_enqueue_burst / rte_vhost_dequeue_burst per frame: descriptor handling and
/// the copy between the mbuf and guest memory.
/// </param>
/// <param name="CallNs">
/// vhost_vring_call when the guest asked for an interrupt: the eventfd write system call
/// and KVM's irqfd delivery behind it.
/// </param>
/// <param name="IdleLoopNs">One turn of pmd_thread_main that finds every polled queue empty.</param>
public readonly record struct OvsDpdkCosts(long PerPacketNs, long VhostUserPerPacketNs, long CallNs, long IdleLoopNs);
