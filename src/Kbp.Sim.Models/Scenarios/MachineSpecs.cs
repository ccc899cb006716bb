using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>The kernel (<c>kernel:</c>), the same for host and guest.</summary>
public sealed record KernelSpec
{
    /// <summary>The kernel version whose rules apply (<c>kernel.version</c>: 4.15, 6.1, 6.12).</summary>
    public required KernelVersion Version { get; init; }

    /// <summary>The guest kernel's version when it differs from the host's (<c>kernel.guestVersion</c>; default: <c>kernel.version</c>).</summary>
    public required KernelVersion GuestVersion { get; init; }

    /// <summary>The scheduler tick rate, CONFIG_HZ (<c>kernel.hz</c>: 100, 250, 300, 1000).</summary>
    public required int Hz { get; init; }

    /// <summary>The policy of the napi/&lt;dev&gt; threads under datapath threaded-napi (<c>kernel.napiThreadPolicy</c>).</summary>
    public required SchedPolicy NapiThreadPolicy { get; init; }

    /// <summary>Their real-time priority, used for fifo and rr (<c>kernel.napiThreadPriority</c>, 1..99).</summary>
    public required int NapiThreadPriority { get; init; }

    /// <summary>The names a file uses for each version.</summary>
    public static IReadOnlyList<KeyValuePair<string, KernelVersion>> VersionNames { get; } =
        [new("4.15", KernelVersion.V4_15), new("6.1", KernelVersion.V6_1), new("6.12", KernelVersion.V6_12)];

    internal static KernelSpec Bind(ScenarioReader r)
    {
        KernelVersion version = r.Choice("version", VersionNames);
        return new KernelSpec
        {
            Version = version,
            GuestVersion = r.Has("guestVersion") ? r.Choice("guestVersion", VersionNames) : version,
            Hz = r.Choice<int>("hz", [new("100", 100), new("250", 250), new("300", 300), new("1000", 1000)]),
            NapiThreadPolicy = r.Enum<SchedPolicy>("napiThreadPolicy"),
            NapiThreadPriority = r.Int("napiThreadPriority", 1, 99),
        };
    }
}

/// <summary>A kernel busy-poll thread set (<c>host.kbp</c>, <c>guest.kbp</c>), used when <c>datapath</c> is kbp.</summary>
public sealed record KbpSpec
{
    /// <summary>The CPUs that run a KBP thread (<c>kbp.cpus</c>).</summary>
    public required IReadOnlyList<int> Cpus { get; init; }

    /// <summary>Packets polled per NAPI instance per round, like the NAPI weight (<c>kbp.weight</c>, 1..256 as the module's weight).</summary>
    public required int Weight { get; init; }

    /// <summary>What the thread does with nothing to poll (<c>kbp.idle</c>).</summary>
    public required KbpIdleMode Idle { get; init; }

    /// <summary>The thread's scheduling policy (<c>kbp.policy</c>).</summary>
    public required SchedPolicy Policy { get; init; }

    /// <summary>The real-time priority, 1..99, used for fifo and rr (<c>kbp.priority</c>).</summary>
    public required int Priority { get; init; }

    internal static KbpSpec Bind(ScenarioReader r, int defaultCpu, int maxCpu) => new()
    {
        Cpus = r.IntList("cpus", 0, maxCpu, [defaultCpu]),
        Weight = r.Int("weight", KbpOptions.MinWeight, KbpOptions.MaxWeight),
        Idle = r.Enum<KbpIdleMode>("idle"),
        Policy = r.Enum<SchedPolicy>("policy"),
        Priority = r.Int("priority", KbpOptions.MinPriority, KbpOptions.MaxPriority),
    };
}

/// <summary>OvS-DPDK on the host (<c>host.ovs</c>), used when <c>datapath</c> is ovs-dpdk.</summary>
public sealed record OvsSpec
{
    /// <summary>
    /// The host CPUs of the PMD threads (<c>host.ovs.pmdCpus</c>, pmd-cpu-mask); the NIC's
    /// queue goes to the first, the vhost-user queue to the second (or the first). Defaults
    /// to host.nicIrqCpu and host.vhostCpu, which this datapath does not otherwise use.
    /// </summary>
    public required IReadOnlyList<int> PmdCpus { get; init; }

    /// <summary>Frames per receive burst (<c>host.ovs.burst</c>, 1..32; NETDEV_MAX_BURST is 32).</summary>
    public required int Burst { get; init; }

    internal static OvsSpec Bind(ScenarioReader r, IReadOnlyList<int> defaultCpus, int maxCpu) => new()
    {
        PmdCpus = r.IntList("pmdCpus", 0, maxCpu, defaultCpus),
        Burst = r.Int("burst", 1, 32),
    };
}

/// <summary>The physical host (<c>host:</c>).</summary>
public sealed record HostSpec
{
    /// <summary>The largest CPU count a scenario may give.</summary>
    public const int MaxCpus = 512;

    /// <summary>Online CPUs (<c>host.cpus</c>, 1..512).</summary>
    public required int Cpus { get; init; }

    /// <summary>CPUs removed from the scheduler's balancing (<c>host.isolcpus</c>); empty for none.</summary>
    public required IReadOnlyList<int> IsolatedCpus { get; init; }

    /// <summary>The cpufreq governor (<c>host.governor</c>).</summary>
    public required GovernorPolicy Governor { get; init; }

    /// <summary>Nominal core clock of the host CPUs, Hz (<c>host.clock</c>); work costs scale with it against <c>costs.referenceClock</c>.</summary>
    public required double ClockHz { get; init; }

    /// <summary>The CPU that takes the NIC Rx queue's IRQ (<c>host.nicIrqCpu</c>).</summary>
    public required int NicIrqCpu { get; init; }

    /// <summary>The CPU of the vhost-net worker thread (<c>host.vhostCpu</c>).</summary>
    public required int VhostCpu { get; init; }

    /// <summary>The vhost-net worker's policy (<c>host.vhostPolicy</c>).</summary>
    public required SchedPolicy VhostPolicy { get; init; }

    /// <summary>The vhost-net worker's real-time priority, used for fifo and rr (<c>host.vhostPriority</c>, 1..99).</summary>
    public required int VhostPriority { get; init; }

    /// <summary>The host CPU of each vCPU thread, one per guest vCPU (<c>host.vcpuCpus</c>).</summary>
    public required IReadOnlyList<int> VcpuCpus { get; init; }

    /// <summary>The vCPU threads' policy (<c>host.vcpuPolicy</c>).</summary>
    public required SchedPolicy VcpuPolicy { get; init; }

    /// <summary>The vCPU threads' real-time priority, used for fifo and rr (<c>host.vcpuPriority</c>, 1..99).</summary>
    public required int VcpuPriority { get; init; }

    /// <summary>
    /// KVM's <c>halt_poll_ns</c>, the cap of each vCPU's adaptive halt-poll window, ns
    /// (<c>host.haltPoll</c>, 0..1 s; 0 disables halt polling).
    /// </summary>
    public required long HaltPollNs { get; init; }

    /// <summary>The host's KBP threads (<c>host.kbp</c>).</summary>
    public required KbpSpec Kbp { get; init; }

    /// <summary>The host's OvS-DPDK PMD threads (<c>host.ovs</c>).</summary>
    public required OvsSpec Ovs { get; init; }

    /// <summary>The default of <c>host.vcpuCpus</c>: consecutive CPUs after the NIC IRQ and vhost CPUs.</summary>
    /// <param name="nicIrqCpu">The NIC IRQ CPU.</param>
    /// <param name="vhostCpu">The vhost worker CPU.</param>
    /// <param name="vcpus">The guest's vCPU count.</param>
    /// <returns>The CPU of each vCPU thread.</returns>
    public static IReadOnlyList<int> DefaultVcpuCpus(int nicIrqCpu, int vhostCpu, int vcpus)
    {
        int first = Math.Max(nicIrqCpu, vhostCpu) + 1;
        return Enumerable.Range(first, vcpus).ToArray();
    }

    internal static HostSpec Bind(ScenarioReader r, int guestVcpus)
    {
        const int MaxCpu = MaxCpus - 1;
        int cpus = r.Int("cpus", 1, MaxCpus);
        int nicIrqCpu = r.Int("nicIrqCpu", 0, MaxCpu);
        int vhostCpu = r.Int("vhostCpu", 0, MaxCpu);
        return new HostSpec
        {
            Cpus = cpus,
            IsolatedCpus = r.IntList("isolcpus", 0, MaxCpu, []),
            Governor = r.Enum<GovernorPolicy>("governor"),
            ClockHz = r.Frequency("clock"),
            NicIrqCpu = nicIrqCpu,
            VhostCpu = vhostCpu,
            VhostPolicy = r.Enum<SchedPolicy>("vhostPolicy"),
            VhostPriority = r.Int("vhostPriority", 1, 99),
            VcpuCpus = r.IntList("vcpuCpus", 0, MaxCpu, DefaultVcpuCpus(nicIrqCpu, vhostCpu, guestVcpus)),
            VcpuPolicy = r.Enum<SchedPolicy>("vcpuPolicy"),
            VcpuPriority = r.Int("vcpuPriority", 1, 99),
            HaltPollNs = r.Duration("haltPoll", maxNs: SimTime.NsPerS),
            Kbp = KbpSpec.Bind(r.Section("kbp"), nicIrqCpu, MaxCpu),
            Ovs = OvsSpec.Bind(r.Section("ovs"), nicIrqCpu == vhostCpu ? [nicIrqCpu] : [nicIrqCpu, vhostCpu], MaxCpu),
        };
    }
}

/// <summary>The guest VM (<c>guest:</c>).</summary>
public sealed record GuestSpec
{
    /// <summary>The largest vCPU count a scenario may give.</summary>
    public const int MaxVcpus = 64;

    /// <summary>Virtual CPUs (<c>guest.vcpus</c>, 1..64).</summary>
    public required int Vcpus { get; init; }

    /// <summary>The guest CPU that takes the virtio-net Rx interrupt (<c>guest.irqCpu</c>).</summary>
    public required int IrqCpu { get; init; }

    /// <summary>The guest CPU of the echo application (<c>guest.appCpu</c>).</summary>
    public required int AppCpu { get; init; }

    /// <summary>The guest's KBP threads (<c>guest.kbp</c>; CPUs default to <c>guest.irqCpu</c>).</summary>
    public required KbpSpec Kbp { get; init; }

    internal static GuestSpec Bind(ScenarioReader r)
    {
        const int MaxCpu = MaxVcpus - 1;
        int irqCpu = r.Int("irqCpu", 0, MaxCpu);
        return new GuestSpec
        {
            Vcpus = r.Int("vcpus", 1, MaxVcpus),
            IrqCpu = irqCpu,
            AppCpu = r.Int("appCpu", 0, MaxCpu),
            Kbp = KbpSpec.Bind(r.Section("kbp"), irqCpu, MaxCpu),
        };
    }
}

/// <summary>The container of the docker and kubernetes-pod topologies (<c>container:</c>).</summary>
public sealed record ContainerSpec
{
    /// <summary>The host CPU the container's echo application is pinned to (<c>container.appCpu</c>).</summary>
    public required int AppCpu { get; init; }

    internal static ContainerSpec Bind(ScenarioReader r) => new()
    {
        AppCpu = r.Int("appCpu", 0, HostSpec.MaxCpus - 1),
    };
}
