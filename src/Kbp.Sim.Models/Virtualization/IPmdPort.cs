using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Virtualization;

/// <summary>
/// A port of the OvS-DPDK datapath as a PMD thread sees it (lib/netdev-dpdk.c): a receive
/// queue it polls in bursts, and a send side the flow table outputs to.
/// </summary>
public interface IPmdPort
{
    /// <summary>The port's name, e.g. "dpdk0" or "vhost-user0".</summary>
    string Name { get; }

    /// <summary>True when its receive queue holds frames.</summary>
    bool HasFrames { get; }

    /// <summary>CPU time of receiving one frame from this port and classifying it, ns.</summary>
    long ReceiveCostNs { get; }

    /// <summary>Where the flow table sends frames received on this port.</summary>
    IPmdPort? Output { get; set; }

    /// <summary>Takes the next frame of the receive queue (part of a burst), charging its wait and stamping its probe.</summary>
    bool TryReceive(out Packet packet);

    /// <summary>
    /// Sends a batch (netdev_send): spends the send's CPU time on <paramref name="pmd"/>,
    /// puts the frames where the port leads, then continues with <paramref name="next"/>.
    /// </summary>
    void Send(PmdThread pmd, IReadOnlyList<Packet> batch, Action next);
}
