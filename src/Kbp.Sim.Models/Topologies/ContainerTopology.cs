using Kbp.Sim.Models.Applications;
using Kbp.Sim.Models.Container;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Topologies;

/// <summary>
/// The paper's container testbed (§6, Table 4) as a wiring of parts, one host kernel and
/// two network namespaces: tester ⇄ host NIC → host NAPI (or KBP) poll: driver, bridge,
/// conntrack + DNAT, veth_xmit → the polling CPU's backlog → process_backlog: the
/// container's IP/UDP receive → socket → echo application (pinned to its own CPU) →
/// sendto → veth_xmit → the application CPU's backlog, run at its local_bh_enable: bridge,
/// conntrack + SNAT, NIC transmit → tester (kernel-mechanics §3.2).
/// </summary>
/// <remarks>
/// Probe names follow the VM path so per-stage results line up: "g" is the container's
/// namespace. rxh0/rxh1: the NIC poll took the frame / handed it to the veth;
/// rxg0/rxg1: process_backlog took it / queued it on the socket; txg0: sendto; txg1: the
/// container's stack reached its veth; txg2: the frame is on the backlog; txh0:
/// process_backlog took it in the host namespace; txh1: queued on the NIC's Tx ring;
/// txh2: transmitted. KBP, when used, runs in the host kernel only and diverts the NIC's
/// napi; the backlog napi keeps raising NET_RX (the module's coverage limit).
/// </remarks>
public sealed class ContainerTopology : ITestbed
{
    /// <summary>Builds the topology on <paramref name="sim"/>; <paramref name="onFrameBack"/> sees each frame as it reaches the tester.</summary>
    public ContainerTopology(Simulator sim, VmSpec spec, Action<Packet>? onFrameBack = null)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Datapath == Datapath.OvsDpdk)
        {
            throw new ArgumentException("the container topologies run napi, kbp or threaded-napi, not ovs-dpdk", nameof(spec));
        }

        Host = Machine.BootHost(sim, spec);
        Machine.StartTicks(Host);

        ContainerCosts costs = spec.Container;
        KernelCpu pollCpu = Host.Cpus[spec.NicIrqCpu];
        KernelCpu appCpu = Host.Cpus[spec.ContainerAppCpu];
        var toNic = new Link(sim);
        var toTester = new Link(sim);
        Tester = new Tester(sim, spec.Tester, toNic.Send);
        Nic = new Nic(sim, "eth0", spec.Nic, toTester.Send);
        toNic.Connect(Nic.ReceiveFromLink);
        toTester.Connect(packet =>
        {
            onFrameBack?.Invoke(packet);
            Tester.Receive(packet);
        });

        // The container's namespace: its end of the veth pair delivers to the socket.
        Socket = new UdpSocket(sim);
        ContainerEnd = new Veth(
            sim,
            "eth0@container",
            costs.UdpReceiveNs,
            packet =>
            {
                packet.Stamp(Probe.Rxg1, sim.NowNs);
                Socket.Enqueue(packet);
            },
            Probe.Rxg0,
            () => Socket.BlockedReader is null ? 0 : spec.HostCosts.WakeupNs);

        // The host's namespace: its end of the pair forwards through the bridge to the NIC.
        HostEnd = new Veth(
            sim,
            "veth0@host",
            costs.EgressBacklogNs,
            packet =>
            {
                packet.Stamp(Probe.Txh1, sim.NowNs);
                Nic.TryTransmit(packet);
            },
            Probe.Txh0);
        Application = new ContainerEchoApplication(appCpu, Socket, HostEnd, costs);

        // Ingress: the NIC's poll carries each frame through the bridge and NAT to the veth,
        // which puts it on the polling CPU's backlog.
        NicDriver = new NicDriver(Nic.RxQueue, pollCpu, costs.IngressPollNs, packet => ContainerEnd.Xmit(packet, pollCpu));

        Action<Packet, DropReason> dropped = Tester.NotifyDropped;
        Nic.ObserveDrops(dropped);
        Socket.OnDrop = dropped;
        foreach (KernelCpu cpu in Host.Cpus)
        {
            cpu.Backlog.OnDrop = dropped;
        }

        if (spec.Datapath == Datapath.Kbp)
        {
            HostKbp = new KbpNapiScheduler(Host, spec.HostKbp);
        }
        else if (spec.Datapath == Datapath.ThreadedNapi)
        {
            _ = new ThreadedNapiScheduler(Host, spec.NapiThreadPolicy, spec.NapiThreadPriority);
        }

        IEnumerable<InterferenceOptions> loads = spec.Topology == Topology.KubernetesPod
            ? spec.HostInterference.Concat(KubernetesNode.Daemons(spec.NicIrqCpu))
            : spec.HostInterference;
        Machine.StartInterference(Host, loads);
    }

    /// <summary>The host kernel.</summary>
    public Kernel.Kernel Host { get; }

    /// <inheritdoc/>
    public Tester Tester { get; }

    /// <summary>The host NIC.</summary>
    public Nic Nic { get; }

    /// <summary>The host NIC driver.</summary>
    public NicDriver NicDriver { get; }

    /// <summary>The container's end of the veth pair.</summary>
    public Veth ContainerEnd { get; }

    /// <summary>The host's end of the veth pair.</summary>
    public Veth HostEnd { get; }

    /// <summary>The echo server's socket.</summary>
    public UdpSocket Socket { get; }

    /// <summary>The echo server.</summary>
    public KThread Application { get; }

    /// <summary>KBP threads of the host, when the datapath is KBP.</summary>
    public KbpNapiScheduler? HostKbp { get; }
}
