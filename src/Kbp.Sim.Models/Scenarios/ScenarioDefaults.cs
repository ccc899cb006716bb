namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// The built-in defaults: the lowest layer under the calibration profile, the scenario file
/// and <c>--set</c>. Every optional key of the schema whose default is a constant is here,
/// in the same text form a scenario file uses; keys whose default depends on other keys
/// (<c>name</c>, <c>host.vcpuCpus</c>, <c>host.kbp.cpus</c>, <c>host.ovs.pmdCpus</c>, <c>guest.kbp.cpus</c>) are
/// derived in <see cref="ScenarioSpec"/>, and required keys (<c>topology</c>, <c>datapath</c>,
/// <c>traffic.rate</c>, <c>traffic.frameSize</c>) have none. The costs are placeholders of
/// the right order of magnitude; a calibration profile is expected to replace them.
/// </summary>
public static class ScenarioDefaults
{
    /// <summary>Dotted key paths and their default values.</summary>
    public static IReadOnlyDictionary<string, string?> Values { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["description"] = string.Empty,

        ["kernel.version"] = "4.15",
        ["kernel.hz"] = "250",
        ["kernel.napiThreadPolicy"] = "fair",
        ["kernel.napiThreadPriority"] = "50",

        ["host.cpus"] = "28",
        ["host.governor"] = "performance",
        ["host.clock"] = "2.0GHz",
        ["host.nicIrqCpu"] = "2",
        ["host.vhostCpu"] = "3",
        ["host.vhostPolicy"] = "fair",
        ["host.vhostPriority"] = "50",
        ["host.vcpuPolicy"] = "fair",
        ["host.vcpuPriority"] = "50",
        ["host.haltPoll"] = "200us",   // KVM_HALT_POLL_NS_DEFAULT on x86 (arch/x86/include/asm/kvm_host.h)
        ["host.kbp.weight"] = "64",
        ["host.kbp.idle"] = "busy",
        ["host.kbp.policy"] = "fifo",
        ["host.kbp.priority"] = "50",
        ["host.ovs.burst"] = "32",

        ["guest.vcpus"] = "4",
        ["guest.irqCpu"] = "1",
        ["guest.appCpu"] = "1",
        ["guest.kbp.weight"] = "64",
        ["guest.kbp.idle"] = "busy",
        ["guest.kbp.policy"] = "fifo",
        ["guest.kbp.priority"] = "50",

        ["nic.rate"] = "10Gbps",
        ["nic.rxRing"] = "512",
        ["nic.txRing"] = "512",
        ["nic.moderation"] = "adaptive",
        ["nic.rxUsecs"] = "10us",

        ["container.appCpu"] = "4",

        ["virtio.queueSize"] = "256",
        ["virtio.tapQueueLength"] = "500",

        ["traffic.mode"] = "echo",
        ["traffic.rateLayer"] = "l2",
        ["traffic.pattern"] = "cbr",
        ["traffic.burstFrames"] = "32",
        ["traffic.duration"] = "60s",
        ["traffic.warmup"] = "100ms",
        ["traffic.repetitions"] = "5",
        ["traffic.seed"] = "1",

        ["costs.referenceClock"] = "2.0GHz",
        ["costs.host.hardirq"] = "1us",
        ["costs.host.softirqEntry"] = "0.1us",
        ["costs.host.napiPollPerPacket"] = "0.5us",
        ["costs.host.tapForward"] = "0.3us",
        ["costs.host.vhostPerPacket"] = "0.8us",
        ["costs.host.nicTxPerPacket"] = "0.3us",
        ["costs.host.contextSwitch"] = "2us",
        ["costs.host.wakeup"] = "1us",
        ["costs.host.timerSoftirq"] = "2us",
        ["costs.host.rcuSoftirq"] = "1us",
        ["costs.host.schedSoftirq"] = "1us",
        ["costs.host.blockSoftirq"] = "2us",
        ["costs.host.tick"] = "1us",
        ["costs.host.ovsPerPacket"] = "0.1us",
        ["costs.host.vhostUserPerPacket"] = "0.2us",
        ["costs.host.eventfdWrite"] = "0.3us",
        ["costs.host.pmdIdleLoop"] = "0.1us",
        ["costs.host.bridgeForward"] = "0.4us",
        ["costs.host.conntrack"] = "0.63us",
        ["costs.host.nat"] = "0.1us",
        ["costs.host.vethXmit"] = "0.2us",
        ["costs.host.udpReceive"] = "0.4us",
        ["costs.host.appRecv"] = "1us",
        ["costs.host.appSend"] = "1.5us",
        ["costs.host.kvmInject"] = "0.5us",
        ["costs.host.vmExit"] = "1.5us",

        ["costs.guest.hardirq"] = "1us",
        ["costs.guest.softirqEntry"] = "0.1us",
        ["costs.guest.napiPollPerPacket"] = "1us",
        ["costs.guest.udpReceive"] = "1.2us",
        ["costs.guest.appRecv"] = "1us",
        ["costs.guest.appSend"] = "1.5us",
        ["costs.guest.virtioXmit"] = "0.5us",
        ["costs.guest.contextSwitch"] = "2us",
        ["costs.guest.wakeup"] = "1us",
        ["costs.guest.timerSoftirq"] = "2us",
        ["costs.guest.rcuSoftirq"] = "1us",
        ["costs.guest.schedSoftirq"] = "1us",
        ["costs.guest.blockSoftirq"] = "2us",
        ["costs.guest.tick"] = "1us",

        ["outputs.perPacketCsv"] = "false",
    };
}
