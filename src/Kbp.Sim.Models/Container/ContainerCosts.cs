namespace Kbp.Sim.Models.Container;

/// <summary>
/// Per-frame costs of the Docker path on the host, nominal ns (calibration parameters;
/// sources in docs/calibration.md).
/// </summary>
/// <param name="NicRxNs">Host NIC driver poll, GRO and IP up to the bridge (ixgbe_poll → __netif_receive_skb).</param>
/// <param name="BridgeNs">br_handle_frame → br_forward, one bridge hop.</param>
/// <param name="ConntrackNs">nf_conntrack_in on an established flow.</param>
/// <param name="NatNs">Docker's DNAT/SNAT applied from the conntrack entry (nf_nat_packet).</param>
/// <param name="VethXmitNs">veth_xmit → dev_forward_skb → enqueue_to_backlog.</param>
/// <param name="UdpReceiveNs">process_backlog's __netif_receive_skb → ip_rcv → udp_rcv → socket enqueue in the container.</param>
/// <param name="NicTxNs">dev_queue_xmit → ixgbe_xmit_frame on the way out.</param>
/// <param name="AppRecvNs">The container application's recvfrom.</param>
/// <param name="AppSendNs">The container application's sendto down to the veth.</param>
public readonly record struct ContainerCosts(
    long NicRxNs,
    long BridgeNs,
    long ConntrackNs,
    long NatNs,
    long VethXmitNs,
    long UdpReceiveNs,
    long NicTxNs,
    long AppRecvNs,
    long AppSendNs)
{
    /// <summary>Ingress work in the NIC's poll, per frame: driver, bridge, netfilter, veth hand-off.</summary>
    public long IngressPollNs => NicRxNs + BridgeNs + ConntrackNs + NatNs + VethXmitNs;

    /// <summary>Egress work in the host namespace's backlog processing, per frame: bridge, netfilter, NIC transmit.</summary>
    public long EgressBacklogNs => BridgeNs + ConntrackNs + NatNs + NicTxNs;
}
