using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Applications;

/// <summary>
/// A user thread reading one UDP socket: it blocks in recvfrom when the socket is empty
/// (woken by the next datagram, sock_def_readable), pays the call's cost, and hands each
/// datagram to <see cref="OnReceived"/>, which calls <c>next</c> to read again.
/// </summary>
public abstract class UdpApplication : KThread
{
    private readonly UdpSocket _socket;
    private readonly long _recvNs;
    private readonly Action _run;
    private readonly Action _afterRecv;
    private Packet? _packet;

    /// <summary>Creates the reader on <paramref name="cpu"/> and starts it.</summary>
    /// <param name="cpu">The CPU it runs on.</param>
    /// <param name="name">Its thread name.</param>
    /// <param name="socket">The socket it reads.</param>
    /// <param name="recvNs">recvfrom's cost: syscall, dequeue and copy to user.</param>
    protected UdpApplication(KernelCpu cpu, string name, UdpSocket socket, long recvNs)
        : base(cpu, name, SchedPolicy.Fair, 0, userMode: true)
    {
        _socket = socket;
        _recvNs = recvNs;
        socket.Reader = this;
        _run = Run;
        _afterRecv = AfterRecv;
    }

    /// <summary>Datagrams received.</summary>
    public long Received { get; private set; }

    /// <summary>Called with each datagram once recvfrom returned; calls <paramref name="next"/> to read again.</summary>
    protected abstract void OnReceived(Packet packet, Action next);

    /// <inheritdoc/>
    protected sealed override void Run()
    {
        if (!_socket.TryDequeue(out Packet packet))
        {
            _socket.BlockedReader = this;
            Sleep();
            return;
        }

        _packet = packet;
        ExecuteFor(packet, _recvNs, _afterRecv);
    }

    private void AfterRecv()
    {
        Packet packet = _packet!;
        _packet = null;
        Received++;
        OnReceived(packet, _run);
    }
}
