using Kbp.Sim.Models.Container;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Applications;

/// <summary>
/// The UDP echo server inside a container: sendto's UDP/IP output in the container's
/// namespace, then dev_queue_xmit on its veth with bottom halves off (veth_xmit →
/// netif_rx: the frame joins this CPU's backlog), then the local_bh_enable that ends
/// dev_queue_xmit runs NET_RX here, in the application's own context: process_backlog
/// carries the frame through the host's bridge and NAT to the NIC (kernel-mechanics §3.2).
/// </summary>
public sealed class ContainerEchoApplication : UdpApplication
{
    private readonly Veth _hostSide;
    private readonly ContainerCosts _costs;

    /// <summary>Creates the server on host CPU <paramref name="cpu"/> and starts it.</summary>
    /// <param name="cpu">The CPU it is pinned to.</param>
    /// <param name="socket">Its socket.</param>
    /// <param name="hostSide">The host end of its veth pair, which its sends reach.</param>
    /// <param name="costs">The path's costs.</param>
    public ContainerEchoApplication(KernelCpu cpu, UdpSocket socket, Veth hostSide, ContainerCosts costs)
        : base(cpu, "udp-echo", socket, costs.AppRecvNs)
    {
        _hostSide = hostSide;
        _costs = costs;
        Wake();
    }

    /// <inheritdoc/>
    protected override void OnReceived(Packet packet, Action next)
    {
        packet.Stamp(Probe.Txg0, Cpu.Kernel.Sim.NowNs);
        ExecuteFor(packet, _costs.AppSendNs, () =>
        {
            packet.Stamp(Probe.Txg1, Cpu.Kernel.Sim.NowNs);
            ExecuteBhDisabled(_costs.VethXmitNs, () =>
            {
                // The host namespace has the frame once it is on the backlog.
                packet.Stamp(Probe.Txg2, Cpu.Kernel.Sim.NowNs);
                _hostSide.Xmit(packet, Cpu);
                Cpu.Softirq.LocalBhEnable(BhContext, next);
            });
        });
    }
}
