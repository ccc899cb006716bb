using Kbp.Sim.Models.Applications;
using Kbp.Sim.Models.Container;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Topologies;

/// <summary>
/// The real-kernel harness (tests/real-kernel/harness.sh) as a wiring of parts: one host
/// kernel, two network namespaces joined by a veth pair, sockperf's ping-pong client pinned
/// in one and its server in the other, optional stress-ng workers, optional GRO and threaded
/// NAPI on the server's veth (kernel-mechanics §3.2, §2.6).
/// </summary>
/// <remarks>
/// <para>A message: the client's sendto → veth_xmit on the client's CPU (drivers/net/veth.c)
/// → without GRO, netif_rx onto that CPU's backlog; with GRO, the server veth's xdp_ring and
/// its napi (veth_poll) — in both cases NET_RX raised on the client's CPU and run at the
/// local_bh_enable ending dev_queue_xmit, or, threaded, the napi/&lt;dev&gt; thread woken
/// there → __netif_receive_skb in the server's namespace → the server's socket, waking the
/// server. The reply: the server's sendto → veth_xmit → netif_rx onto the server CPU's
/// backlog (the client's veth has no NAPI) → process_backlog at the server's own
/// local_bh_enable → the client's socket, waking the client.</para>
/// <para>There is no NIC and no tester hardware: the tester is sockperf's clock, giving the
/// client its send slots, and its recorder, taking the replies (<see cref="SockperfPingPongClient"/>).
/// Probes: tester-tx is the client's sendto; rxh0 the client's veth_xmit queued the frame;
/// rxg0/rxg1: NET_RX took it in the server's namespace / queued it on the server's socket;
/// txg0: the server's sendto; txg1: its veth_xmit; txg2: the frame is on the backlog; txh0:
/// process_backlog took it in the client's namespace; txh1: queued on the client's socket;
/// tester-rx: the client's recvfrom returned it.</para>
/// </remarks>
public sealed class BareMetalVethTopology : ITestbed
{
    /// <summary>Builds the topology on <paramref name="sim"/>; <paramref name="onFrameBack"/> sees each reply as the client receives it.</summary>
    public BareMetalVethTopology(Simulator sim, VmSpec spec, Action<Packet>? onFrameBack = null)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(spec);
        BareMetalVethOptions o = spec.BareMetalVeth;
        Host = Machine.BootHost(sim, spec);
        Machine.StartTicks(Host);

        KernelCpu clientCpu = Host.Cpus[o.ClientCpu];
        KernelCpu serverCpu = Host.Cpus[o.ServerCpu];
        var wakeup = new HaltedCpuWakeup(sim, o.IdleWakeupNs);
        IdleWakeup = wakeup;
        long wakeNs = spec.HostCosts.WakeupNs;

        // Each namespace's end of the pair: NET_RX takes the frame there (probe taken) and
        // queues it on that namespace's socket (probe queued), waking its reader.
        Veth Delivering(string name, UdpSocket socket, Probe taken, Probe queued) => new(
            sim,
            name,
            o.NetRxPerFrameNs,
            packet =>
            {
                packet.Stamp(queued, sim.NowNs);
                wakeup.Enqueue(socket, packet);
            },
            taken,
            () => socket.BlockedReader is null ? 0 : wakeNs);

        ServerSocket = new UdpSocket(sim);
        ServerEnd = Delivering("veth-server", ServerSocket, Probe.Rxg0, Probe.Rxg1);
        ClientSocket = new UdpSocket(sim);
        ClientEnd = Delivering("veth-client", ClientSocket, Probe.Txh0, Probe.Txh1);
        Tester? tester = null;

        if (o.Gro)
        {
            ServerRq = new VethRq("veth-server", ServerEnd, clientCpu);
        }

        VethRq? rq = ServerRq;
        Client = new SockperfPingPongClient(
            clientCpu,
            ClientSocket,
            (packet, cpu) => rq is null ? ServerEnd.Xmit(packet, cpu) : rq.Xmit(packet),
            packet =>
            {
                onFrameBack?.Invoke(packet);
                tester!.Receive(packet);
            },
            o.Sockperf);

        // The server is the container path's echo: recvfrom, sendto, veth_xmit onto its own backlog.
        var serverCosts = new ContainerCosts(0, 0, 0, 0, o.Sockperf.VethXmitNs, o.NetRxPerFrameNs, 0, o.Sockperf.RecvNs, o.Sockperf.SendNs);
        Server = new ContainerEchoApplication(serverCpu, ServerSocket, ClientEnd, serverCosts);

        // sockperf's sends are not serialized on a wire: the pacing clock's line never limits them.
        TesterOptions slots = spec.Tester with { LineRateBps = Ethernet.MaxRateBps };
        Tester = new Tester(sim, slots, Client.Submit);
        tester = Tester;
        Action<Packet, DropReason> dropped = Tester.NotifyDropped;
        ServerSocket.OnDrop = dropped;
        ClientSocket.OnDrop = dropped;
        ServerRq?.OnDrop = dropped;
        foreach (KernelCpu cpu in Host.Cpus)
        {
            cpu.Backlog.OnDrop = dropped;
        }

        if (spec.Datapath == Datapath.ThreadedNapi)
        {
            // echo 1 > /sys/class/net/<server veth>/threaded: its napi gets napi/<dev>-<id>.
            _ = new ThreadedNapiScheduler(Host, spec.NapiThreadPolicy, spec.NapiThreadPriority);
        }

        foreach (int cpu in o.StressCpus)
        {
            _ = new StressNgCpu(Host.Cpus[cpu]);
        }

        Machine.StartInterference(Host, spec.HostInterference);
    }

    /// <summary>The host kernel.</summary>
    public Kernel.Kernel Host { get; }

    /// <inheritdoc/>
    /// <remarks>sockperf's pacing clock and round-trip recorder.</remarks>
    public Tester Tester { get; }

    /// <summary>The sockperf client.</summary>
    public SockperfPingPongClient Client { get; }

    /// <summary>The sockperf server.</summary>
    public KThread Server { get; }

    /// <summary>The client's socket.</summary>
    public UdpSocket ClientSocket { get; }

    /// <summary>The server's socket.</summary>
    public UdpSocket ServerSocket { get; }

    /// <summary>The server namespace's end of the veth pair.</summary>
    public Veth ServerEnd { get; }

    /// <summary>The client namespace's end of the veth pair.</summary>
    public Veth ClientEnd { get; }

    /// <summary>The server veth's NAPI queue, when GRO is on.</summary>
    public VethRq? ServerRq { get; }

    /// <summary>Wakeups of socket readers, with those that had to reach an idle CPU.</summary>
    public HaltedCpuWakeup IdleWakeup { get; }
}
