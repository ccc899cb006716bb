using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Virtualization;

namespace Kbp.Sim.Models.Applications;

/// <summary>Guest CPU costs of the echo server, nominal ns (calibration parameters).</summary>
/// <param name="RecvNs">recvfrom: syscall, dequeue and copy to user.</param>
/// <param name="SendNs">sendto: syscall, UDP/IP output.</param>
/// <param name="XmitNs">virtio-net start_xmit, with bottom halves off.</param>
/// <param name="KickNs">The kick's VM exit (ioeventfd) as seen by the guest.</param>
public readonly record struct EchoCosts(long RecvNs, long SendNs, long XmitNs, long KickNs);

/// <summary>
/// The paper's server application: a user thread that blocks in recvfrom on a UDP socket
/// and sends each datagram straight back with sendto, through the guest's virtio-net.
/// </summary>
public sealed class UdpEchoApplication : UdpApplication
{
    private readonly VirtioNetTx _tx;
    private readonly EchoCosts _costs;
    private readonly Action _afterSend;
    private readonly Action _afterKick;
    private Packet? _packet;
    private Action? _next;

    /// <summary>Creates the server on guest CPU <paramref name="cpu"/> and starts it.</summary>
    public UdpEchoApplication(KernelCpu cpu, UdpSocket socket, VirtioNetTx tx, EchoCosts costs)
        : base(cpu, "udp-echo", socket, costs.RecvNs)
    {
        _tx = tx;
        _costs = costs;
        _afterSend = AfterSend;
        _afterKick = AfterKick;
        Wake();
    }

    /// <inheritdoc/>
    protected override void OnReceived(Packet packet, Action next)
    {
        packet.Stamp(Probe.Txg0, Cpu.Kernel.Sim.NowNs);

        // sendto's UDP/IP output and virtio start_xmit run back to back; the driver part
        // (bottom halves off in the kernel) is merged into one preemptible step.
        _packet = packet;
        _next = next;
        ExecuteFor(packet, _costs.SendNs + _costs.XmitNs, _afterSend);
    }

    private void AfterSend()
    {
        Packet packet = _packet!;
        _packet = null;
        packet.Stamp(Probe.Txg1, Cpu.Kernel.Sim.NowNs);
        if (_tx.Add(packet))
        {
            ExecuteFor(packet, _costs.KickNs, _afterKick);
            return;
        }

        Done();
    }

    private void AfterKick()
    {
        _tx.Kick();
        Done();
    }

    private void Done()
    {
        Action next = _next!;
        _next = null;
        next();
    }
}
