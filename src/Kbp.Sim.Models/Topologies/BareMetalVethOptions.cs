using Kbp.Sim.Models.Applications;
using Kbp.Sim.Models.Scenarios;

namespace Kbp.Sim.Models.Topologies;

/// <summary>
/// The bare-metal-veth topology's parameters in model units (the host kernel, its costs and
/// the traffic stay in <see cref="VmSpec"/>): where sockperf's client and server run, the
/// server veth's GRO, the stress-ng workers, and the per-frame costs of the veth path.
/// </summary>
public sealed record BareMetalVethOptions
{
    /// <summary>The sockperf client's CPU [0].</summary>
    public int ClientCpu { get; init; }

    /// <summary>The sockperf server's CPU [1].</summary>
    public int ServerCpu { get; init; } = 1;

    /// <summary>GRO on the server's veth: veth_xmit goes to its NAPI (veth_poll) instead of netif_rx [false].</summary>
    public bool Gro { get; init; }

    /// <summary>CPUs each running one stress-ng --cpu worker [none].</summary>
    public IReadOnlyList<int> StressCpus { get; init; } = [];

    /// <summary>Time for a wakeup to reach a thread on an idle CPU (a halted vCPU's IPI through the hypervisor) [0].</summary>
    public long IdleWakeupNs { get; init; }

    /// <summary>
    /// NET_RX's work per frame in the receiving namespace: process_backlog or veth_poll (GRO
    /// included), __netif_receive_skb, ip_rcv, udp_rcv, the socket enqueue
    /// (<c>costs.host.napiPollPerPacket</c>, what <c>calibrate --ftrace</c> measures) [0.5 µs].
    /// </summary>
    public long NetRxPerFrameNs { get; init; } = 500;

    /// <summary>Both sockperf ends' syscall costs [sendto 1.5 µs, veth_xmit 0.2 µs, recvfrom 1 µs].</summary>
    public SockperfCosts Sockperf { get; init; } = new(1_500, 200, 1_000);

    /// <summary>The options of <paramref name="scenario"/>, with costs scaled from the profile's reference clock to the host's.</summary>
    public static BareMetalVethOptions From(ScenarioSpec scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        double scale = scenario.Costs.ReferenceClockHz / scenario.Host.ClockHz;
        long S(long ns) => (long)Math.Round(ns * scale);
        HostCosts hc = scenario.Costs.Host;
        BareMetalVethSpec v = scenario.BareMetalVeth;
        return new BareMetalVethOptions
        {
            ClientCpu = v.ClientCpu,
            ServerCpu = v.ServerCpu,
            Gro = v.Gro,
            StressCpus = v.StressCpus,
            IdleWakeupNs = v.IdleWakeupNs,
            NetRxPerFrameNs = S(hc.NapiPollPerPacketNs),
            Sockperf = new SockperfCosts(S(hc.AppSendNs), S(hc.VethXmitNs), S(hc.AppRecvNs)),
        };
    }
}
