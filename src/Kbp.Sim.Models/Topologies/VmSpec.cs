using Kbp.Sim.Models.Applications;
using Kbp.Sim.Models.Container;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Virtualization;

namespace Kbp.Sim.Models.Topologies;

/// <summary>Which receive datapath the kernels use.</summary>
public enum Datapath
{
    /// <summary>Stock NAPI: hardIRQ → poll_list → NET_RX softIRQ (or ksoftirqd).</summary>
    Napi,

    /// <summary>KBP in host and guest: __napi_schedule diverted to a busy-poll thread.</summary>
    Kbp,

    /// <summary>
    /// OvS-DPDK on the host (PMD threads polling the NIC and vhost-user queues, no host
    /// softIRQ, tap or vhost-net); the guest keeps virtio-net with stock NAPI.
    /// </summary>
    OvsDpdk,

    /// <summary>Threaded NAPI in host and guest: each napi polled by its own napi/&lt;dev&gt; kernel thread.</summary>
    ThreadedNapi,
}

/// <summary>
/// Everything a testbed needs (the VM topology, or the container topology, which uses the
/// host, NIC, tester and container fields only), in model units: the host and guest kernels, their
/// placement of threads, the NIC, the tester, the virtio/vhost parameters and costs.
/// Built from a scenario file by the scenario layer.
/// </summary>
public sealed record VmSpec
{
    /// <summary>The system under test: a VM (the paper's §5), a Docker container or a Kubernetes pod (§6).</summary>
    public Topology Topology { get; init; } = Topology.Vm;

    /// <summary>Receive datapath.</summary>
    public Datapath Datapath { get; init; } = Datapath.Napi;

    /// <summary>Host kernel policy (OnlineCpus = host CPU count).</summary>
    public KernelOptions HostKernel { get; init; } = new() { OnlineCpus = 8 };

    /// <summary>Host kernel costs.</summary>
    public KernelCosts HostCosts { get; init; } = new();

    /// <summary>Guest kernel policy (OnlineCpus = vCPU count).</summary>
    public KernelOptions GuestKernel { get; init; } = new() { OnlineCpus = 4 };

    /// <summary>Guest kernel costs.</summary>
    public KernelCosts GuestCosts { get; init; } = new();

    /// <summary>Host CPU count.</summary>
    public int HostCpus { get; init; } = 8;

    /// <summary>Host CPU taking the NIC Rx interrupt.</summary>
    public int NicIrqCpu { get; init; } = 2;

    /// <summary>Host CPU of the vhost-net worker.</summary>
    public int VhostCpu { get; init; } = 3;

    /// <summary>vhost-net policy.</summary>
    public SchedPolicy VhostPolicy { get; init; } = SchedPolicy.Fair;

    /// <summary>vhost-net RT priority.</summary>
    public int VhostPriority { get; init; } = 50;

    /// <summary>Host CPU of each vCPU thread; its length is the guest's CPU count.</summary>
    public IReadOnlyList<int> VcpuHostCpus { get; init; } = [4, 5, 6, 7];

    /// <summary>vCPU thread policy.</summary>
    public SchedPolicy VcpuPolicy { get; init; } = SchedPolicy.Fair;

    /// <summary>vCPU thread RT priority.</summary>
    public int VcpuPriority { get; init; } = 50;

    /// <summary>KVM's halt polling on the host (the cap of each vCPU's window; 0 disables it).</summary>
    public HaltPolling HaltPolling { get; init; } = new();

    /// <summary>cpufreq governor of the host CPUs (the guest runs at its vCPU's host CPU speed).</summary>
    public GovernorPolicy Governor { get; init; } = GovernorPolicy.Performance;

    /// <summary>Guest CPU taking the virtio-net Rx interrupt.</summary>
    public int GuestIrqCpu { get; init; }

    /// <summary>Guest CPU of the echo application.</summary>
    public int GuestAppCpu { get; init; } = 1;

    /// <summary>Policy of the napi threads (datapath threaded-napi) [SCHED_NORMAL, as the kernel creates them].</summary>
    public SchedPolicy NapiThreadPolicy { get; init; } = SchedPolicy.Fair;

    /// <summary>RT priority of the napi threads when their policy is real-time.</summary>
    public int NapiThreadPriority { get; init; } = 50;

    /// <summary>KBP on the host (when the datapath is KBP).</summary>
    public KbpOptions HostKbp { get; init; } = new() { Cpus = [2] };

    /// <summary>KBP in the guest (when the datapath is KBP).</summary>
    public KbpOptions GuestKbp { get; init; } = new() { Cpus = [0] };

    /// <summary>Host CPUs of the OvS-DPDK PMD threads (datapath ovs-dpdk): the NIC queue goes to the first, the vhost-user queue to the second (or the first).</summary>
    public IReadOnlyList<int> OvsPmdCpus { get; init; } = [2, 3];

    /// <summary>Frames per PMD receive burst [NETDEV_MAX_BURST 32].</summary>
    public int OvsBurst { get; init; } = PmdThread.MaxBurst;

    /// <summary>OvS-DPDK costs (the built-in scenario defaults; the profile's values and their sources: docs/calibration.md).</summary>
    public OvsDpdkCosts Ovs { get; init; } = new(100, 200, 800, 100);

    /// <summary>Host CPU of the container's echo application (container topologies).</summary>
    public int ContainerAppCpu { get; init; } = 4;

    /// <summary>Costs of the container path (container topologies; the built-in scenario defaults, sources in docs/calibration.md).</summary>
    public ContainerCosts Container { get; init; } = new(500, 400, 630, 100, 200, 400, 500, 1_000, 1_500);

    /// <summary>The NIC.</summary>
    public NicOptions Nic { get; init; } = new();

    /// <summary>The tester.</summary>
    public TesterOptions Tester { get; init; } = new();

    /// <summary>Virtqueue size.</summary>
    public int VirtqueueSize { get; init; } = 256;

    /// <summary>tun tx_queue_len.</summary>
    public int TapQueueLength { get; init; } = 500;

    /// <summary>Host per-frame receive cost: ixgbe poll, GRO, IP, bridge, tap xmit.</summary>
    public long HostRxPerPacketNs { get; init; } = 800;

    /// <summary>vhost-net costs.</summary>
    public VhostCosts Vhost { get; init; } = new(800, 300, 500);

    /// <summary>Guest per-frame receive cost: virtio receive, GRO, IP/UDP, socket enqueue.</summary>
    public long GuestRxPerPacketNs { get; init; } = 2_200;

    /// <summary>Echo application costs.</summary>
    public EchoCosts Echo { get; init; } = new(1_000, 1_500, 500, 1_500);

    /// <summary>The bare-metal-veth topology's own parameters (topology bare-metal-veth).</summary>
    public BareMetalVethOptions BareMetalVeth { get; init; } = new();

    /// <summary>Background load on the host.</summary>
    public IReadOnlyList<InterferenceOptions> HostInterference { get; init; } = [];

    /// <summary>Background load in the guest.</summary>
    public IReadOnlyList<InterferenceOptions> GuestInterference { get; init; } = [];
}
