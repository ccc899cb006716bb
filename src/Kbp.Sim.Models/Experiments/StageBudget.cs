using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Models.Experiments;

/// <summary>One stage of the packet path as a server: where it runs and what each frame costs it there.</summary>
/// <param name="Stage">What the stage does, e.g. "guest rx: virtio-net poll, IP/UDP, socket".</param>
/// <param name="HostCpu">The host CPU whose time it uses (a guest stage uses its vCPU's host CPU).</param>
/// <param name="Where">That CPU as a reader sees it: "host cpu3", "guest vcpu1 (host cpu5)".</param>
/// <param name="WorkNs">CPU time every frame needs, ns at the host clock.</param>
/// <param name="KickShareNs">
/// At most this much more per frame: the share of a notification the stage pays that its
/// own saturation does not suppress (the echo's virtio kick, see <see cref="KickCycle"/>); 0 for most stages.
/// </param>
/// <param name="Formula">The profile keys WorkNs is made of, e.g. "guest.appRecv + appSend + virtioXmit".</param>
public sealed record StageCost(string Stage, int HostCpu, string Where, long WorkNs, long KickShareNs, string Formula)
{
    /// <summary>The stage's time per frame at saturation with the most kicks it can pay.</summary>
    public long HighNs => WorkNs + KickShareNs;
}

/// <summary>The stages that share one host CPU, and their time per frame together.</summary>
/// <param name="HostCpu">The host CPU.</param>
/// <param name="Where">Its stages' places, e.g. "guest vcpu1 (host cpu5)".</param>
/// <param name="Stages">Its stages in path order.</param>
public sealed record CpuLoad(int HostCpu, string Where, IReadOnlyList<StageCost> Stages)
{
    /// <summary>Work per frame of all its stages.</summary>
    public long WorkNs => Stages.Sum(s => s.WorkNs);

    /// <summary>Work per frame with the most kicks its stages can pay.</summary>
    public long HighNs => Stages.Sum(s => s.HighNs);

    /// <summary>The stage names joined with " + ".</summary>
    public string Names => string.Join(" + ", Stages.Select(s => s.Stage));
}

/// <summary>
/// How often the echo application kicks vhost-net (vhost-net datapaths, echo traffic). A kick
/// is a VM exit of <paramref name="KickNs"/> on the application's vCPU. vhost-net turns guest
/// notifications off while handle_tx runs and back on when it finds the ring empty, and a
/// sleeping vhost needs a context switch (<paramref name="VhostWakeNs"/>) before it looks.
/// With the application saturated (a frame every <paramref name="AppNs"/> between kicks) and
/// vhost otherwise idle, the frames added before vhost has caught up ride on the same kick:
/// vhost finishes the j-th such frame at W + j·X after the kick and the application adds it
/// at j·A, so j frames follow while j·(A − X) ≤ W, and one kick serves
/// <see cref="FramesPerKick"/> = 1 + ⌊W / (A − X)⌋ frames. Receive work in vhost delays
/// handle_tx further, so fewer kicks are paid under load: the kick share per frame lies in
/// [0, K / FramesPerKick].
/// </summary>
/// <param name="AppNs">A: the application's work per frame without the kick (recv + send + xmit).</param>
/// <param name="KickNs">K: the kick's VM exit.</param>
/// <param name="VhostTxNs">X: vhost's handle_tx work per frame (copy + host stack).</param>
/// <param name="VhostWakeNs">W: the host context switch that a sleeping vhost pays before it looks.</param>
public sealed record KickCycle(long AppNs, long KickNs, long VhostTxNs, long VhostWakeNs)
{
    /// <summary>
    /// Frames per kick with vhost otherwise idle; 0 when vhost's transmit work alone is as slow
    /// as the application (A ≤ X): it never empties the ring, so notifications stay off.
    /// </summary>
    public long FramesPerKick => AppNs <= VhostTxNs ? 0 : 1 + (VhostWakeNs / (AppNs - VhostTxNs));

    /// <summary>The most kick time per frame: K / FramesPerKick (0 without kicks).</summary>
    public long MaxShareNs => FramesPerKick == 0 ? 0 : (long)Math.Round((double)KickNs / FramesPerKick);
}

/// <summary>
/// The analytic first estimate of a datapath's capacity: every stage of the path as a server
/// with its CPU time per frame, from the spec's calibrated costs (already scaled to the host
/// clock); stages on one host CPU add up; the NIC line is a stage too. The busiest CPU (or the
/// line) bounds the frame rate: at most 1 / T frames per second whatever the frame size, since
/// no modelled cost grows with the frame's length. Interrupts, softIRQ entries, wakeups,
/// context switches and KVM injections are paid per batch, not per frame, and a saturated
/// stage polls without them, so they are left out; the one notification a saturated stage
/// keeps paying is the echo's virtio kick (<see cref="KickCycle"/>), which makes the estimate
/// a range. See <c>docs/capacity.md</c>.
/// </summary>
public sealed record StageBudget
{
    private StageBudget(VmSpec spec, IReadOnlyList<StageCost> stages, KickCycle? kick)
    {
        Topology = spec.Topology;
        Datapath = spec.Datapath;
        Mode = spec.Tester.Mode;
        LineRateBps = spec.Nic.RateBps;
        Stages = stages;
        Kick = kick;
        Cpus = stages
            .GroupBy(s => s.HostCpu)
            .Select(g => new CpuLoad(g.Key, string.Join(", ", g.Select(s => s.Where).Distinct()), g.ToList()))
            .ToList();
        CpuLoad busiest = Cpus[0];
        foreach (CpuLoad cpu in Cpus)
        {
            if (cpu.HighNs > busiest.HighNs || (cpu.HighNs == busiest.HighNs && cpu.WorkNs > busiest.WorkNs))
            {
                busiest = cpu;
            }
        }

        Bottleneck = busiest;
    }

    /// <summary>The testbed.</summary>
    public Topology Topology { get; }

    /// <summary>The receive datapath.</summary>
    public Datapath Datapath { get; }

    /// <summary>Echo or one-way.</summary>
    public TesterMode Mode { get; }

    /// <summary>The NIC's (and the tester's) line rate, bit/s on the wire.</summary>
    public double LineRateBps { get; }

    /// <summary>The stages in path order.</summary>
    public IReadOnlyList<StageCost> Stages { get; }

    /// <summary>The stages grouped by host CPU, in order of first use.</summary>
    public IReadOnlyList<CpuLoad> Cpus { get; }

    /// <summary>The busiest CPU (by its time per frame with the most kicks).</summary>
    public CpuLoad Bottleneck { get; }

    /// <summary>The echo's kick arithmetic, on the vhost-net datapaths with echo traffic; null elsewhere.</summary>
    public KickCycle? Kick { get; }

    /// <summary>Whether the estimate is a range (some stage pays a kick share).</summary>
    public bool IsRange => Cpus.Any(c => c.HighNs != c.WorkNs);

    /// <summary>The busiest CPU's time per frame: with the most kicks (<paramref name="conservative"/>) or with none.</summary>
    public long CpuNsPerFrame(bool conservative) => conservative ? Bottleneck.HighNs : Cpus.Max(c => c.WorkNs);

    /// <summary>The CPU whose time per frame is <see cref="CpuNsPerFrame"/>.</summary>
    public CpuLoad BusiestCpu(bool conservative) =>
        conservative ? Bottleneck : Cpus.First(c => c.WorkNs == Cpus.Max(x => x.WorkNs));

    /// <summary>The line time of one frame: (frame + 20) · 8 / line rate, ns.</summary>
    public double LineNsPerFrame(int frameBytes) => Ethernet.WireBits(frameBytes) * 1e9 / LineRateBps;

    /// <summary>Whether the line, not a CPU, limits frames of <paramref name="frameBytes"/>.</summary>
    public bool LineLimited(int frameBytes, bool conservative) => LineNsPerFrame(frameBytes) >= CpuNsPerFrame(conservative);

    /// <summary>The time per frame of the slowest stage, the line included, ns.</summary>
    public double FrameNs(int frameBytes, bool conservative) => Math.Max(CpuNsPerFrame(conservative), LineNsPerFrame(frameBytes));

    /// <summary>The highest sustainable frame rate at <paramref name="frameBytes"/>.</summary>
    public double MaxFramesPerSecond(int frameBytes, bool conservative) => 1e9 / FrameNs(frameBytes, conservative);

    /// <summary>The highest sustainable rate at <paramref name="frameBytes"/>, counted at L1 (preamble, SFD and IFG included) or L2.</summary>
    public double MaxRateBps(int frameBytes, bool rateIsL1, bool conservative) =>
        MaxFramesPerSecond(frameBytes, conservative) * 8.0 * (rateIsL1 ? frameBytes + Ethernet.L1OverheadBytes : frameBytes);

    /// <summary>
    /// The smallest frame size (bytes, not rounded) whose frames at <paramref name="rateBps"/>
    /// come no faster than the busiest CPU serves them and fit on the line:
    /// rate · T / 8 at L2, rate · T / 8 − 20 at L1, and at L2 also 20 · rate / (line − rate) for
    /// the line; at least 64. Infinity when no frame size carries the rate (an L2 rate at or
    /// above the line rate, or an L1 rate above it).
    /// </summary>
    public double FrameSizeLimitBytes(double rateBps, bool rateIsL1, bool conservative)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rateBps);
        double cpu = rateBps * CpuNsPerFrame(conservative) / 8e9;
        double limit = rateIsL1 ? cpu - Ethernet.L1OverheadBytes : cpu;
        if (rateIsL1 ? rateBps > LineRateBps : rateBps >= LineRateBps)
        {
            return double.PositiveInfinity;
        }

        if (!rateIsL1)
        {
            limit = Math.Max(limit, Ethernet.L1OverheadBytes * rateBps / (LineRateBps - rateBps));
        }

        return Math.Max(Ethernet.MinFrameBytes, limit);
    }

    /// <summary>The stage table of <paramref name="spec"/>, with costs as the spec has them (scaled to its host clock).</summary>
    public static StageBudget Of(VmSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        bool echo = spec.Tester.Mode == TesterMode.Echo;
        var stages = new List<StageCost>();
        KickCycle? kick = null;
        if (spec.Topology != Topology.Vm)
        {
            AddContainer(spec, stages);
            return new StageBudget(spec, stages, null);
        }

        string Host(int cpu) => $"host cpu{cpu}";
        string Guest(int vcpu) => $"guest vcpu{vcpu} (host cpu{spec.VcpuHostCpus[vcpu]})";
        if (spec.Datapath == Datapath.OvsDpdk)
        {
            int rxPmd = spec.OvsPmdCpus[0];
            stages.Add(new StageCost("OvS PMD: NIC port rx, switching, vhost-user enqueue", rxPmd, Host(rxPmd), spec.Ovs.PerPacketNs + spec.Ovs.VhostUserPerPacketNs, 0, "host.ovsPerPacket + vhostUserPerPacket"));
        }
        else
        {
            string poller = spec.Datapath == Datapath.Kbp ? "KBP thread" : "NET_RX softIRQ";
            stages.Add(new StageCost($"host NIC poll ({poller}): driver, GRO, IP, bridge, tap", spec.NicIrqCpu, Host(spec.NicIrqCpu), spec.HostRxPerPacketNs, 0, "host.napiPollPerPacket + tapForward"));
            stages.Add(new StageCost("vhost-net handle_rx: copy to the guest", spec.VhostCpu, Host(spec.VhostCpu), spec.Vhost.PerPacketNs, 0, "host.vhostPerPacket"));
        }

        string guestPoller = spec.Datapath == Datapath.Kbp ? "KBP thread" : "NET_RX softIRQ";
        stages.Add(new StageCost($"guest rx ({guestPoller}): virtio-net poll, IP/UDP, socket", spec.VcpuHostCpus[spec.GuestIrqCpu], Guest(spec.GuestIrqCpu), spec.GuestRxPerPacketNs, 0, "guest.napiPollPerPacket + udpReceive"));
        if (!echo)
        {
            stages.Add(new StageCost("application: recvfrom (sink)", spec.VcpuHostCpus[spec.GuestAppCpu], Guest(spec.GuestAppCpu), spec.Echo.RecvNs, 0, "guest.appRecv"));
            return new StageBudget(spec, stages, null);
        }

        long appNs = spec.Echo.RecvNs + spec.Echo.SendNs + spec.Echo.XmitNs;
        long kickShareNs = 0;
        string appWhat = "application: recvfrom, sendto, virtio xmit";
        if (spec.Datapath != Datapath.OvsDpdk)
        {
            kick = new KickCycle(appNs, spec.Echo.KickNs, spec.Vhost.PerPacketNs + spec.Vhost.HostTxNs, spec.HostCosts.ContextSwitchNs);
            kickShareNs = kick.MaxShareNs;
            appWhat += " (+ kick)";
        }

        stages.Add(new StageCost(appWhat, spec.VcpuHostCpus[spec.GuestAppCpu], Guest(spec.GuestAppCpu), appNs, kickShareNs, "guest.appRecv + appSend + virtioXmit" + (kick is null ? string.Empty : " (+ host.vmExit / frames per kick)")));
        if (spec.Datapath == Datapath.OvsDpdk)
        {
            int txPmd = spec.OvsPmdCpus[1 % spec.OvsPmdCpus.Count];
            stages.Add(new StageCost("OvS PMD: vhost-user dequeue, switching, NIC port tx", txPmd, Host(txPmd), spec.Ovs.VhostUserPerPacketNs + spec.Ovs.PerPacketNs, 0, "host.vhostUserPerPacket + ovsPerPacket"));
        }
        else
        {
            stages.Add(new StageCost("vhost-net handle_tx: copy from the guest, host stack to the NIC", spec.VhostCpu, Host(spec.VhostCpu), spec.Vhost.PerPacketNs + spec.Vhost.HostTxNs, 0, "host.vhostPerPacket + nicTxPerPacket"));
        }

        return new StageBudget(spec, stages, kick);
    }

    /// <summary>
    /// The Docker/Kubernetes path: NIC poll and the container's receive on the NIC's CPU; the echo
    /// and the host egress on the application's CPU, where each sendto's local_bh_enable runs the
    /// backlog in a softIRQ pass of its own (per frame, so its entry cost counts).
    /// </summary>
    private static void AddContainer(VmSpec spec, List<StageCost> stages)
    {
        string poll = $"host cpu{spec.NicIrqCpu}";
        string app = $"host cpu{spec.ContainerAppCpu}";
        string poller = spec.Datapath == Datapath.Kbp ? "KBP thread" : "NET_RX softIRQ";
        stages.Add(new StageCost($"host NIC poll ({poller}): driver, bridge, conntrack, NAT, veth", spec.NicIrqCpu, poll, spec.Container.IngressPollNs, 0, "host.napiPollPerPacket + bridgeForward + conntrack + nat + vethXmit"));
        stages.Add(new StageCost("container rx (backlog): IP/UDP, socket", spec.NicIrqCpu, poll, spec.Container.UdpReceiveNs, 0, "host.udpReceive"));
        stages.Add(new StageCost("application: recvfrom, sendto, veth xmit", spec.ContainerAppCpu, app, spec.Container.AppRecvNs + spec.Container.AppSendNs + spec.Container.VethXmitNs, 0, "host.appRecv + appSend + vethXmit"));
        // sendto's local_bh_enable finds NET_RX raised by veth_xmit and runs one __do_softirq per datagram.
        stages.Add(new StageCost("host egress (backlog, one softIRQ pass per sendto): bridge, conntrack, NAT, NIC tx", spec.ContainerAppCpu, app, spec.Container.EgressBacklogNs + spec.HostCosts.SoftirqEntryNs, 0, "host.bridgeForward + conntrack + nat + nicTxPerPacket + softirqEntry"));
    }
}
