using Kbp.Sim.Models.Applications;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Virtualization;
using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Topologies;

/// <summary>
/// The paper's VM testbed as a wiring of parts: tester ⇄ host NIC → host NAPI (or KBP) →
/// bridge/tap → vhost-net → guest virtio-net → guest NAPI (or KBP) → UDP socket → echo
/// application → virtio-net Tx → vhost-net → host stack → NIC Tx → tester (for one-way
/// traffic the application is a sink and the path ends there). Each arrow is a
/// queue or a call at the interface the real system has (descriptor ring, IRQ, poll_list,
/// tap queue, virtqueue, eventfd, socket).
/// </summary>
public sealed class VmTopology : ITestbed
{

    /// <summary>Builds the topology on <paramref name="sim"/>; <paramref name="onFrameBack"/> sees each frame as it reaches the tester.</summary>
    public VmTopology(Simulator sim, VmSpec spec, Action<Packet>? onFrameBack = null)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(spec);
        Sim = sim;
        Spec = spec;

        // Host.
        Host = Machine.BootHost(sim, spec);

        // vCPU threads, then the guest on processors gated by them.
        var vcpus = new VcpuThread[spec.VcpuHostCpus.Count];
        var guestProcessors = new Processor[vcpus.Length];
        for (int i = 0; i < vcpus.Length; i++)
        {
            vcpus[i] = new VcpuThread(Host.Cpus[spec.VcpuHostCpus[i]], i, spec.VcpuPolicy, spec.VcpuPriority, spec.HaltPolling);
            guestProcessors[i] = new Processor(sim, $"guest/vcpu{i}", i, CpuClass.Count, gate: vcpus[i].Item);
        }

        Vcpus = vcpus;
        Guest = new Kernel.Kernel(sim, "guest", spec.GuestKernel with { OnlineCpus = vcpus.Length }, spec.GuestCosts, guestProcessors);
        for (int i = 0; i < vcpus.Length; i++)
        {
            VcpuThread vcpu = vcpus[i];
            KernelCpu guestCpu = Guest.Cpus[i];
            guestCpu.HostStoppedNs = vcpu.StoppedNs;
            vcpu.Attach(guestCpu);
        }

        // Ticks: host CPUs directly, guest CPUs through KVM's LAPIC timer.
        Machine.StartTicks(Host);
        for (int i = 0; i < vcpus.Length; i++)
        {
            VcpuThread vcpu = vcpus[i];
            Guest.Cpus[i].DeliverTimerInterrupt = raise => Kvm.Inject(vcpu, raise);
            _ = new TimerTick(Guest.Cpus[i]);
        }

        // Guest receive side: virtio-net, socket, echo application, Tx virtqueue.
        Socket = new UdpSocket(sim);
        GuestTx = new VirtioNetTx(spec.VirtqueueSize);
        // sock_def_readable → try_to_wake_up: the softIRQ pays for waking a blocked reader.
        GuestRx = new VirtioNetRx(
            Guest.Cpus[spec.GuestIrqCpu],
            vcpus[spec.GuestIrqCpu],
            spec.VirtqueueSize,
            spec.GuestRxPerPacketNs,
            Socket.Enqueue,
            () => Socket.BlockedReader is null ? 0 : spec.GuestCosts.WakeupNs);
        // Tester and NIC joined by cables.
        var toNic = new Link(sim);
        var toTester = new Link(sim);
        Tester = new Tester(sim, spec.Tester, toNic.Send);

        // The application: the paper's echo server, or for one-way traffic a sink whose
        // datagrams end the measurement inside the guest.
        if (spec.Tester.Mode == TesterMode.OneWay)
        {
            Application = new UdpSinkApplication(Guest.Cpus[spec.GuestAppCpu], Socket, spec.Echo.RecvNs, packet =>
            {
                onFrameBack?.Invoke(packet);
                Tester.Receive(packet);
            });
        }
        else
        {
            Application = new UdpEchoApplication(Guest.Cpus[spec.GuestAppCpu], Socket, GuestTx, spec.Echo);
        }

        Nic = new Nic(sim, "eth0", spec.Nic, toTester.Send);
        toNic.Connect(Nic.ReceiveFromLink);
        toTester.Connect(packet =>
        {
            onFrameBack?.Invoke(packet);
            Tester.Receive(packet);
        });

        // Every drop site reports to the tester, which keeps the loss account.
        Action<Packet, DropReason> dropped = Tester.NotifyDropped;
        Nic.ObserveDrops(dropped);
        GuestTx.OnDrop = dropped;
        Socket.OnDrop = dropped;

        // The datapath: the same parts, wired for stock NAPI, for KBP, or with the host
        // side replaced by OvS-DPDK.
        if (spec.Datapath == Datapath.OvsDpdk)
        {
            WireOvsDpdk(spec, dropped);
        }
        else
        {
            WireVhostNet(spec, dropped);
        }

        if (spec.Datapath == Datapath.Kbp)
        {
            HostKbp = new KbpNapiScheduler(Host, spec.HostKbp);
            GuestKbp = new KbpNapiScheduler(Guest, spec.GuestKbp);
        }
        else if (spec.Datapath == Datapath.ThreadedNapi)
        {
            HostThreadedNapi = new ThreadedNapiScheduler(Host, spec.NapiThreadPolicy, spec.NapiThreadPriority);
            GuestThreadedNapi = new ThreadedNapiScheduler(Guest, spec.NapiThreadPolicy, spec.NapiThreadPriority);
        }

        Machine.StartInterference(Host, spec.HostInterference);
        Machine.StartInterference(Guest, spec.GuestInterference);
    }

    /// <summary>The simulator.</summary>
    public Simulator Sim { get; }

    /// <summary>The specification built from.</summary>
    public VmSpec Spec { get; }

    /// <summary>The host kernel.</summary>
    public Kernel.Kernel Host { get; }

    /// <summary>The guest kernel.</summary>
    public Kernel.Kernel Guest { get; }

    /// <summary>The vCPU threads.</summary>
    public IReadOnlyList<VcpuThread> Vcpus { get; }

    /// <inheritdoc/>
    public Tester Tester { get; }

    /// <summary>The host NIC.</summary>
    public Nic Nic { get; }

    /// <summary>The host NIC driver (not on the OvS-DPDK datapath, where DPDK owns the NIC).</summary>
    public NicDriver? NicDriver { get; private set; }

    /// <summary>The tap queue (not on the OvS-DPDK datapath).</summary>
    public TapQueue? Tap { get; private set; }

    /// <summary>The vhost-net worker (not on the OvS-DPDK datapath).</summary>
    public VhostNet? Vhost { get; private set; }

    /// <summary>The guest's virtio-net Rx queue.</summary>
    public VirtioNetRx GuestRx { get; }

    /// <summary>The guest's virtio-net Tx queue.</summary>
    public VirtioNetTx GuestTx { get; }

    /// <summary>The echo server's socket.</summary>
    public UdpSocket Socket { get; }

    /// <summary>The guest application: the echo server, or the one-way sink.</summary>
    public KThread Application { get; }

    /// <summary>KBP threads of the host, when the datapath is KBP.</summary>
    public KbpNapiScheduler? HostKbp { get; private set; }

    /// <summary>KBP threads of the guest, when the datapath is KBP.</summary>
    public KbpNapiScheduler? GuestKbp { get; private set; }

    /// <summary>The host's napi threads, when the datapath is threaded NAPI.</summary>
    public ThreadedNapiScheduler? HostThreadedNapi { get; private set; }

    /// <summary>The guest's napi threads, when the datapath is threaded NAPI.</summary>
    public ThreadedNapiScheduler? GuestThreadedNapi { get; private set; }

    /// <summary>The OvS-DPDK PMD threads, when the datapath is OvS-DPDK.</summary>
    public IReadOnlyList<PmdThread> Pmds { get; private set; } = [];

    /// <summary>The vhost-user port, when the datapath is OvS-DPDK.</summary>
    public VhostUserPort? VhostUser { get; private set; }

    /// <summary>Host side of stock Linux: NIC driver → host stack → tap → vhost-net → guest, and back.</summary>
    private void WireVhostNet(VmSpec spec, Action<Packet, DropReason> dropped)
    {
        var tap = new TapQueue(Sim, spec.TapQueueLength) { OnDrop = dropped };
        var vhost = new VhostNet(Host.Cpus[spec.VhostCpu], spec.VhostPolicy, spec.VhostPriority, tap, GuestRx, GuestTx, Nic.TryTransmit, spec.Vhost);
        Tap = tap;
        Vhost = vhost;
        NicDriver = new NicDriver(
            Nic.RxQueue,
            Host.Cpus[spec.NicIrqCpu],
            spec.HostRxPerPacketNs,
            packet =>
            {
                if (tap.TryEnqueue(packet))
                {
                    vhost.NotifyRx();
                }
            },
            () => vhost.State == TaskState.Sleeping ? spec.HostCosts.WakeupNs : 0);
    }

    /// <summary>
    /// Host side of OvS-DPDK: PMD threads poll the NIC (a DPDK port) and the guest's
    /// vhost-user queues; the flow table sends each port's frames to the other. Rx queues
    /// are assigned round-robin to the PMDs in CPU-list order (pmd-rxq-assign).
    /// </summary>
    private void WireOvsDpdk(VmSpec spec, Action<Packet, DropReason> dropped)
    {
        var pmds = spec.OvsPmdCpus.Select(cpu => new PmdThread(Host.Cpus[cpu], spec.Ovs, spec.OvsBurst)).ToList();
        var phy = new DpdkEthPort("dpdk0", Nic, pmds[0], spec.Ovs);
        var vhu = new VhostUserPort("vhost-user0", GuestRx, GuestTx, pmds[1 % pmds.Count], spec.Ovs) { OnDrop = dropped };
        phy.Output = vhu;
        vhu.Output = phy;
        Pmds = pmds;
        VhostUser = vhu;
    }
}
