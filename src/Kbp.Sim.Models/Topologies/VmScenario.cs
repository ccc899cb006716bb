using Kbp.Sim.Models.Applications;
using Kbp.Sim.Models.Container;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Virtualization;

namespace Kbp.Sim.Models.Topologies;

/// <summary>Turns a validated scenario into the VM topology's model parameters.</summary>
public static class VmScenario
{
    /// <summary>
    /// The <see cref="VmSpec"/> of <paramref name="scenario"/>. Costs are given at the
    /// profile's reference clock and scaled to the host clock (a 2.0 GHz core does the work
    /// of a 1.7 GHz core in 1.7/2.0 of the time).
    /// </summary>
    public static VmSpec ToVmSpec(ScenarioSpec scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        double scale = scenario.Costs.ReferenceClockHz / scenario.Host.ClockHz;
        long S(long ns) => (long)Math.Round(ns * scale);
        HostCosts hc = scenario.Costs.Host;
        GuestCosts gc = scenario.Costs.Guest;
        var hostKernel = new KernelOptions { Version = scenario.Kernel.Version, Hz = scenario.Kernel.Hz, OnlineCpus = scenario.Host.Cpus };
        TrafficSpec traffic = scenario.Traffic;
        return new VmSpec
        {
            Topology = scenario.Topology,
            NapiThreadPolicy = scenario.Kernel.NapiThreadPolicy,
            NapiThreadPriority = scenario.Kernel.NapiThreadPriority,
            Datapath = scenario.Datapath,
            HostKernel = hostKernel,
            GuestKernel = hostKernel with { Version = scenario.Kernel.GuestVersion, OnlineCpus = scenario.Guest.Vcpus },
            HostCosts = hc.Kernel.ScaledBy(scale),
            GuestCosts = gc.Kernel.ScaledBy(scale),
            HostCpus = scenario.Host.Cpus,
            NicIrqCpu = scenario.Host.NicIrqCpu,
            VhostCpu = scenario.Host.VhostCpu,
            VhostPolicy = scenario.Host.VhostPolicy,
            VhostPriority = scenario.Host.VhostPriority,
            VcpuHostCpus = scenario.Host.VcpuCpus,
            VcpuPolicy = scenario.Host.VcpuPolicy,
            VcpuPriority = scenario.Host.VcpuPriority,
            HaltPolling = HaltPolling.For(hostKernel.Version, scenario.Host.HaltPollNs),
            Governor = scenario.Host.Governor,
            GuestIrqCpu = scenario.Guest.IrqCpu,
            GuestAppCpu = scenario.Guest.AppCpu,
            HostKbp = Kbp(scenario.Host.Kbp),
            GuestKbp = Kbp(scenario.Guest.Kbp),
            Nic = new NicOptions
            {
                RateBps = scenario.Nic.RateBps,
                RxRingSize = scenario.Nic.RxRingDescriptors,
                TxRingSize = scenario.Nic.TxRingDescriptors,
                Moderation = scenario.Nic.Moderation,
                FixedIntervalNs = scenario.Nic.RxUsecsNs,
                JiffyNs = hostKernel.TickNs,
            },
            Tester = new TesterOptions
            {
                RateBps = traffic.RateBps,
                RateIsL1 = traffic.RateLayer == RateLayer.L1,
                LineRateBps = scenario.Nic.RateBps,
                FrameBytes = traffic.FrameBytes,
                Pattern = traffic.Pattern,
                BurstFrames = traffic.BurstFrames,
                DurationNs = traffic.DurationNs,
                WarmupNs = traffic.WarmupNs,
                Mode = traffic.Mode,
            },
            VirtqueueSize = scenario.Virtio.QueueSize,
            TapQueueLength = scenario.Virtio.TapQueueLength,
            HostRxPerPacketNs = S(hc.NapiPollPerPacketNs + hc.TapForwardNs),
            Vhost = new VhostCosts(S(hc.VhostPerPacketNs), S(hc.NicTxPerPacketNs), S(hc.KvmInjectNs)),
            BareMetalVeth = BareMetalVethOptions.From(scenario),
            ContainerAppCpu = scenario.Container.AppCpu,
            Container = new ContainerCosts(
                S(hc.NapiPollPerPacketNs),
                S(hc.BridgeForwardNs),
                S(hc.ConntrackNs),
                S(hc.NatNs),
                S(hc.VethXmitNs),
                S(hc.UdpReceiveNs),
                S(hc.NicTxPerPacketNs),
                S(hc.AppRecvNs),
                S(hc.AppSendNs)),
            OvsPmdCpus = scenario.Host.Ovs.PmdCpus,
            OvsBurst = scenario.Host.Ovs.Burst,
            Ovs = new OvsDpdkCosts(S(hc.OvsPerPacketNs), S(hc.VhostUserPerPacketNs), S(hc.EventfdWriteNs + hc.KvmInjectNs), S(hc.PmdIdleLoopNs)),
            GuestRxPerPacketNs = S(gc.NapiPollPerPacketNs + gc.UdpReceiveNs),
            Echo = new EchoCosts(S(gc.AppRecvNs), S(gc.AppSendNs), S(gc.VirtioXmitNs), S(hc.VmExitNs)),
            // isolcpus keeps unbound daemons off isolated CPUs; per-CPU kthreads and IRQs stay.
            HostInterference = scenario.Interference.Host
                .Where(s => s.Bound || !scenario.Host.IsolatedCpus.Contains(s.Cpu))
                .Select(Load)
                .ToList(),
            GuestInterference = scenario.Interference.Guest.Select(Load).ToList(),
        };
    }

    private static KbpOptions Kbp(KbpSpec kbp) => new()
    {
        Cpus = kbp.Cpus,
        Weight = kbp.Weight,
        IdleMode = kbp.Idle,
        Policy = kbp.Policy,
        Priority = kbp.Priority,
    };

    private static InterferenceOptions Load(InterferenceSourceSpec s) => new()
    {
        Name = s.Name,
        Cpu = s.Cpu,
        Kind = s.Kind,
        Policy = s.Policy,
        Priority = s.Priority,
        PeriodNs = s.PeriodNs,
        BurstNs = s.BurstNs,
        Jitter = s.JitterPercent / 100.0,
        Wakeup = s.Wakeup,
        Unbound = !s.Bound,
        RaisesSoftirq = s.Softirq switch
        {
            SoftirqRaise.Timer => SoftirqVector.Timer,
            SoftirqRaise.Block => SoftirqVector.Block,
            SoftirqRaise.Rcu => SoftirqVector.Rcu,
            SoftirqRaise.Sched => SoftirqVector.Sched,
            _ => null,
        },
    };
}
