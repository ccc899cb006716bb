using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Applications;

/// <summary>
/// The receiving end of a one-way measurement: it reads datagrams and hands each to the
/// measurement (the tester's second port, in effect) once the application has it.
/// </summary>
public sealed class UdpSinkApplication : UdpApplication
{
    private readonly Action<Packet> _received;

    /// <summary>Creates the sink on guest CPU <paramref name="cpu"/> and starts it.</summary>
    /// <param name="cpu">The CPU it runs on.</param>
    /// <param name="socket">The socket it reads.</param>
    /// <param name="recvNs">recvfrom's cost: syscall, dequeue and copy to user.</param>
    /// <param name="received">Called with each datagram after the call returns.</param>
    public UdpSinkApplication(KernelCpu cpu, UdpSocket socket, long recvNs, Action<Packet> received)
        : base(cpu, "udp-sink", socket, recvNs)
    {
        _received = received;
        Wake();
    }

    /// <inheritdoc/>
    protected override void OnReceived(Packet packet, Action next)
    {
        _received(packet);
        next();
    }
}
