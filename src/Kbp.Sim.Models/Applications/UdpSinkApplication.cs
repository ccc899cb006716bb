using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Applications;

/// <summary>
/// The receiving end of a one-way measurement: a user thread that blocks in recvfrom and
/// hands each datagram to the measurement (the tester's second port, in effect) once the
/// application has it.
/// </summary>
public sealed class UdpSinkApplication : KThread
{
    private readonly UdpSocket _socket;
    private readonly long _recvNs;
    private readonly Action<Packet> _received;

    /// <summary>Creates the sink on guest CPU <paramref name="cpu"/> and starts it.</summary>
    /// <param name="cpu">The CPU it runs on.</param>
    /// <param name="socket">The socket it reads.</param>
    /// <param name="recvNs">recvfrom's cost: syscall, dequeue and copy to user.</param>
    /// <param name="received">Called with each datagram after the call returns.</param>
    public UdpSinkApplication(KernelCpu cpu, UdpSocket socket, long recvNs, Action<Packet> received)
        : base(cpu, "udp-sink", SchedPolicy.Fair, 0, userMode: true)
    {
        _socket = socket;
        _recvNs = recvNs;
        _received = received;
        socket.Reader = this;
        Wake();
    }

    /// <summary>Datagrams received.</summary>
    public long Received { get; private set; }

    /// <inheritdoc/>
    protected override void Run()
    {
        if (!_socket.TryDequeue(out Packet packet))
        {
            _socket.BlockedReader = this;
            Sleep();
            return;
        }

        long startNs = Cpu.Kernel.Sim.NowNs;
        long serviceNs = _recvNs + PendingSwitchNs;
        WaitSnapshot atStart = WaitMeter.Snapshot(Cpu, this);
        Execute(_recvNs, () =>
        {
            WaitMeter.ChargeStretch(packet, startNs, serviceNs, atStart, Cpu, this);
            Received++;
            _received(packet);
            Run();
        });
    }
}
