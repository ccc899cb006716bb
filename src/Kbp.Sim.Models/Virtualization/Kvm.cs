namespace Kbp.Sim.Models.Virtualization;

/// <summary>
/// Interrupt delivery into a guest (virt/kvm/eventfd.c irqfd_wakeup →
/// vmx_deliver_posted_interrupt): the vector is posted at once; a running vCPU takes it
/// without an exit; a preempted vCPU sees it only at its next VM entry (the engine holds
/// the guest-side event while the gate is closed); a halted vCPU is woken
/// (kernel-mechanics §4.3).
/// </summary>
public static class Kvm
{
    /// <summary>Delivers an interrupt whose guest handler is raised by <paramref name="raise"/> on <paramref name="vcpu"/>'s guest CPU.</summary>
    public static void Inject(VcpuThread vcpu, Action raise)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        vcpu.PostInterrupt(raise);
    }
}
