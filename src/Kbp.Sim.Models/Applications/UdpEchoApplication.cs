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
public sealed class UdpEchoApplication : KThread
{
    private readonly UdpSocket _socket;
    private readonly VirtioNetTx _tx;
    private readonly EchoCosts _costs;
    private readonly Action _run;

    /// <summary>Creates the server on guest CPU <paramref name="cpu"/> and starts it.</summary>
    public UdpEchoApplication(KernelCpu cpu, UdpSocket socket, VirtioNetTx tx, EchoCosts costs)
        : base(cpu, "udp-echo", SchedPolicy.Fair, 0, userMode: true)
    {
        _socket = socket;
        _tx = tx;
        _costs = costs;
        _run = Run;
        socket.Reader = this;
        Wake();
    }

    /// <summary>Datagrams echoed.</summary>
    public long Echoed { get; private set; }

    /// <inheritdoc/>
    protected override void Run()
    {
        if (!_socket.TryDequeue(out Packet packet))
        {
            _socket.BlockedReader = this;
            Sleep();
            return;
        }

        long recvStartNs = Cpu.Kernel.Sim.NowNs;
        long recvNs = _costs.RecvNs + PendingSwitchNs;
        WaitSnapshot atRecv = WaitMeter.Snapshot(Cpu, this);
        Execute(_costs.RecvNs, () =>
        {
            WaitMeter.ChargeStretch(packet, recvStartNs, recvNs, atRecv, Cpu, this);
            long sendStartNs = Cpu.Kernel.Sim.NowNs;
            packet.Stamp(Probe.Txg0, sendStartNs);
            WaitSnapshot atSend = WaitMeter.Snapshot(Cpu, this);

            // sendto's UDP/IP output and virtio start_xmit run back to back; the driver part
            // (bottom halves off in the kernel) is merged into one preemptible step.
            Execute(_costs.SendNs + _costs.XmitNs, () =>
            {
                WaitMeter.ChargeStretch(packet, sendStartNs, _costs.SendNs + _costs.XmitNs, atSend, Cpu, this);
                packet.Stamp(Probe.Txg1, Cpu.Kernel.Sim.NowNs);
                Echoed++;
                if (_tx.Add(packet))
                {
                    long kickStartNs = Cpu.Kernel.Sim.NowNs;
                    WaitSnapshot atKick = WaitMeter.Snapshot(Cpu, this);
                    Execute(_costs.KickNs, () =>
                    {
                        WaitMeter.ChargeStretch(packet, kickStartNs, _costs.KickNs, atKick, Cpu, this);
                        _tx.Kick();
                        _run();
                    });
                    return;
                }

                _run();
            });
        });
    }
}
