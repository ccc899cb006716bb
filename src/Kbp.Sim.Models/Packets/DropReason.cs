namespace Kbp.Sim.Models.Packets;

/// <summary>Where a frame was lost, as a tester's loss report and the kernel counters would say.</summary>
public enum DropReason
{
    /// <summary>Host NIC Rx ring full (ethtool rx_missed_errors / rx_no_dma_resources).</summary>
    NicRxRing = 0,

    /// <summary>Host NIC Tx ring full.</summary>
    NicTxRing,

    /// <summary>tap/tun queue full (tx_queue_len).</summary>
    TapQueue,

    /// <summary>Guest Rx virtqueue had no free buffer.</summary>
    Virtqueue,

    /// <summary>A CPU's backlog (input_pkt_queue) above netdev_max_backlog (softnet_stat dropped).</summary>
    Backlog,

    /// <summary>UDP socket receive buffer full (RcvbufErrors).</summary>
    SocketBuffer,
}
