using Kbp.Sim.Models.Kernel;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// The CPU cost of each step of the packet path at nominal frequency (<c>costs:</c>), the
/// calibration parameters: normally supplied by a calibration profile, not the scenario.
/// </summary>
public sealed record CostsSpec
{
    /// <summary>The host kernel's costs (<c>costs.host</c>).</summary>
    public required HostCosts Host { get; init; }

    /// <summary>Core clock at which the costs were measured, Hz (<c>costs.referenceClock</c>).</summary>
    public required double ReferenceClockHz { get; init; }

    /// <summary>The guest kernel's and application's costs (<c>costs.guest</c>).</summary>
    public required GuestCosts Guest { get; init; }

    /// <summary>The keys every kernel instance has, under <c>costs.host</c> or <c>costs.guest</c>.</summary>
    internal static KernelCosts BindKernelCosts(ScenarioReader r) => new()
    {
        HardIrqNs = r.Duration("hardirq"),
        SoftirqEntryNs = r.Duration("softirqEntry"),
        ContextSwitchNs = r.Duration("contextSwitch"),
        WakeupNs = r.Duration("wakeup"),
        TimerSoftirqNs = r.Duration("timerSoftirq"),
        RcuSoftirqNs = r.Duration("rcuSoftirq"),
        SchedSoftirqNs = r.Duration("schedSoftirq"),
        BlockSoftirqNs = r.Duration("blockSoftirq"),
        TickNs = r.Duration("tick"),
    };

    internal static CostsSpec Bind(ScenarioReader r) => new()
    {
        ReferenceClockHz = r.Frequency("referenceClock"),
        Host = HostCosts.Bind(r.Section("host")),
        Guest = GuestCosts.Bind(r.Section("guest")),
    };
}

/// <summary>Host costs, each a CPU time in nanoseconds (<c>costs.host.*</c>).</summary>
public sealed record HostCosts
{
    /// <summary>The kernel's own costs: interrupts, softIRQ vectors, tick, switches (<c>costs.host.*</c>).</summary>
    public required KernelCosts Kernel { get; init; }

    /// <summary>Driver poll, GRO and IP/bridge per frame (<c>napiPollPerPacket</c>).</summary>
    public required long NapiPollPerPacketNs { get; init; }

    /// <summary>Bridge to tap forwarding per frame (<c>tapForward</c>).</summary>
    public required long TapForwardNs { get; init; }

    /// <summary>vhost-net work per frame (<c>vhostPerPacket</c>).</summary>
    public required long VhostPerPacketNs { get; init; }

    /// <summary>NIC transmit per frame (<c>nicTxPerPacket</c>).</summary>
    public required long NicTxPerPacketNs { get; init; }

    /// <summary>OvS-DPDK: port I/O and flow classification per frame on a PMD core (<c>ovsPerPacket</c>).</summary>
    public required long OvsPerPacketNs { get; init; }

    /// <summary>OvS-DPDK: vhost-user enqueue or dequeue with its copy, per frame (<c>vhostUserPerPacket</c>).</summary>
    public required long VhostUserPerPacketNs { get; init; }

    /// <summary>OvS-DPDK: the eventfd write system call of vhost_vring_call, before KVM's irqfd part (<c>eventfdWrite</c>).</summary>
    public required long EventfdWriteNs { get; init; }

    /// <summary>OvS-DPDK: one turn of the PMD loop over empty queues (<c>pmdIdleLoop</c>).</summary>
    public required long PmdIdleLoopNs { get; init; }

    /// <summary>Containers: one bridge hop, br_handle_frame → br_forward (<c>bridgeForward</c>).</summary>
    public required long BridgeForwardNs { get; init; }

    /// <summary>Containers: nf_conntrack_in on an established flow (<c>conntrack</c>).</summary>
    public required long ConntrackNs { get; init; }

    /// <summary>Containers: Docker's DNAT/SNAT from the conntrack entry (<c>nat</c>).</summary>
    public required long NatNs { get; init; }

    /// <summary>Containers: veth_xmit → enqueue_to_backlog (<c>vethXmit</c>).</summary>
    public required long VethXmitNs { get; init; }

    /// <summary>Containers: __netif_receive_skb → IP/UDP receive → socket in the container (<c>udpReceive</c>).</summary>
    public required long UdpReceiveNs { get; init; }

    /// <summary>Containers: the application's recvfrom (<c>appRecv</c>).</summary>
    public required long AppRecvNs { get; init; }

    /// <summary>Containers: the application's sendto down to the veth (<c>appSend</c>).</summary>
    public required long AppSendNs { get; init; }

    /// <summary>KVM injecting a virtual interrupt (<c>kvmInject</c>).</summary>
    public required long KvmInjectNs { get; init; }

    /// <summary>A VM exit and re-entry (<c>vmExit</c>).</summary>
    public required long VmExitNs { get; init; }

    internal static HostCosts Bind(ScenarioReader r) => new()
    {
        Kernel = CostsSpec.BindKernelCosts(r),
        NapiPollPerPacketNs = r.Duration("napiPollPerPacket"),
        TapForwardNs = r.Duration("tapForward"),
        VhostPerPacketNs = r.Duration("vhostPerPacket"),
        NicTxPerPacketNs = r.Duration("nicTxPerPacket"),
        OvsPerPacketNs = r.Duration("ovsPerPacket"),
        VhostUserPerPacketNs = r.Duration("vhostUserPerPacket"),
        EventfdWriteNs = r.Duration("eventfdWrite"),
        PmdIdleLoopNs = r.Duration("pmdIdleLoop"),
        BridgeForwardNs = r.Duration("bridgeForward"),
        ConntrackNs = r.Duration("conntrack"),
        NatNs = r.Duration("nat"),
        VethXmitNs = r.Duration("vethXmit"),
        UdpReceiveNs = r.Duration("udpReceive"),
        AppRecvNs = r.Duration("appRecv"),
        AppSendNs = r.Duration("appSend"),
        KvmInjectNs = r.Duration("kvmInject"),
        VmExitNs = r.Duration("vmExit"),
    };
}

/// <summary>Guest costs, each a CPU time in nanoseconds (<c>costs.guest.*</c>).</summary>
public sealed record GuestCosts
{
    /// <summary>The kernel's own costs: interrupts, softIRQ vectors, tick, switches (<c>costs.guest.*</c>).</summary>
    public required KernelCosts Kernel { get; init; }

    /// <summary>virtio-net receive and GRO per frame (<c>napiPollPerPacket</c>).</summary>
    public required long NapiPollPerPacketNs { get; init; }

    /// <summary>IP/UDP receive and socket enqueue per packet (<c>udpReceive</c>).</summary>
    public required long UdpReceiveNs { get; init; }

    /// <summary>The application's receive call (<c>appRecv</c>).</summary>
    public required long AppRecvNs { get; init; }

    /// <summary>The application's send call down to the driver (<c>appSend</c>).</summary>
    public required long AppSendNs { get; init; }

    /// <summary>virtio-net transmit and kick (<c>virtioXmit</c>).</summary>
    public required long VirtioXmitNs { get; init; }

    internal static GuestCosts Bind(ScenarioReader r) => new()
    {
        Kernel = CostsSpec.BindKernelCosts(r),
        NapiPollPerPacketNs = r.Duration("napiPollPerPacket"),
        UdpReceiveNs = r.Duration("udpReceive"),
        AppRecvNs = r.Duration("appRecv"),
        AppSendNs = r.Duration("appSend"),
        VirtioXmitNs = r.Duration("virtioXmit"),
    };
}
