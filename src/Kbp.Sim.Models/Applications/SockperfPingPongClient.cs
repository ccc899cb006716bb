using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Applications;

/// <summary>CPU costs of sockperf's client, nominal ns (calibration parameters; docs/calibration.md).</summary>
/// <param name="SendNs">sendto: syscall, UDP/IP output down to dev_queue_xmit.</param>
/// <param name="VethXmitNs">veth_xmit with bottom halves off (dev_forward_skb, the hand-off to the peer).</param>
/// <param name="RecvNs">recvfrom: syscall, dequeue and copy to user.</param>
public readonly record struct SockperfCosts(long SendNs, long VethXmitNs, long RecvNs);

/// <summary>
/// sockperf's ping-pong client (<c>sockperf ping-pong --mps R -m SIZE --full-rtt</c>), a user
/// thread pinned to one CPU: it waits for its next send slot by spinning on the clock, takes
/// its send time, calls sendto (UDP/IP output, then dev_queue_xmit: veth_xmit with bottom
/// halves off and the local_bh_enable that runs the NET_RX it raised, here in its own
/// context), blocks in recvfrom until the reply comes, and takes its receive time. One
/// message is outstanding at a time: a slot that comes while a reply is awaited waits for it.
/// </summary>
/// <remarks>
/// The slots are the tester's pattern (a CBR grid at the message rate), handed in through
/// <see cref="Submit"/>. The round trip is the client's own: <see cref="Probe.TesterSend"/>
/// is re-stamped when sendto starts, and the reply goes to the tester when recvfrom returns,
/// so the tester records sockperf's send-to-receive time. A slot missed while a reply was
/// late is sent as soon as the reply is in (the schedule is caught up, back to back); this is
/// an assumption about sockperf's pacing (docs/calibration.md).
/// </remarks>
public sealed class SockperfPingPongClient : KThread
{
    private readonly UdpSocket _socket;
    private readonly Func<Packet, KernelCpu, bool> _xmit;
    private readonly Action<Packet> _received;
    private readonly SockperfCosts _costs;
    private readonly Queue<Packet> _due = new();
    private readonly Action _run;
    private readonly Action _afterSpin;
    private bool _outstanding;
    private bool _spinning;

    /// <summary>Creates the client on <paramref name="cpu"/> and starts it.</summary>
    /// <param name="cpu">The CPU it is pinned to.</param>
    /// <param name="socket">Its socket, where replies arrive.</param>
    /// <param name="xmit">veth_xmit of its namespace's veth end, on the calling CPU with bottom halves off; false when the frame was dropped.</param>
    /// <param name="received">Called with each reply when recvfrom returned it.</param>
    /// <param name="costs">Its costs.</param>
    public SockperfPingPongClient(KernelCpu cpu, UdpSocket socket, Func<Packet, KernelCpu, bool> xmit, Action<Packet> received, SockperfCosts costs)
        : base(cpu, "sockperf", SchedPolicy.Fair, 0, userMode: true)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
        _xmit = xmit;
        _received = received;
        _costs = costs;
        _run = Run;
        _afterSpin = () =>
        {
            _spinning = false;
            Run();
        };
        socket.Reader = this;
        Wake();
    }

    /// <summary>Messages sent.</summary>
    public long Sent { get; private set; }

    /// <summary>Replies received.</summary>
    public long Received { get; private set; }

    /// <summary>The send slot of <paramref name="message"/> has come (the tester's pattern).</summary>
    public void Submit(Packet message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _due.Enqueue(message);
        if (_spinning && Item.State != WorkState.Idle)
        {
            // The spin loop sees the clock pass the slot: it stops and sends.
            _spinning = false;
            StopSpinning();
            Run();
        }
    }

    /// <inheritdoc/>
    protected override void Run()
    {
        if (_outstanding)
        {
            if (!_socket.TryDequeue(out Packet reply))
            {
                // recvfrom blocks until the reply is queued (sock_def_readable wakes it).
                _socket.BlockedReader = this;
                Sleep();
                return;
            }

            ExecuteFor(reply, _costs.RecvNs, () =>
            {
                _outstanding = false;
                Received++;
                _received(reply);
                Run();
            });
            return;
        }

        if (_due.TryDequeue(out Packet? message))
        {
            Send(message);
            return;
        }

        // Busy-wait for the next slot; a preemption ends the spin and the body looks again.
        _spinning = true;
        Execute(WorkItem.Unbounded, _afterSpin);
    }

    private void Send(Packet message)
    {
        message.Stamp(Probe.TesterSend, Cpu.Kernel.Sim.NowNs);
        Sent++;
        _outstanding = true;
        ExecuteFor(message, _costs.SendNs, () => ExecuteBhDisabled(_costs.VethXmitNs, () =>
        {
            message.Stamp(Probe.Rxh0, Cpu.Kernel.Sim.NowNs);
            if (!_xmit(message, Cpu))
            {
                // Dropped on the way (reported by the drop site): sockperf gives up on it.
                _outstanding = false;
            }

            Cpu.Softirq.LocalBhEnable(BhContext, _run);
        }));
    }
}
