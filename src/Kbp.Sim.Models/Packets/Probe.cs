namespace Kbp.Sim.Models.Packets;

/// <summary>
/// Measurement points of the VM packet path, named as in the KBP paper's Table 2 (eBPF
/// hooks), plus the tester's own send and receive instants. Order = path order of an
/// echoed frame: tester → host Rx → guest Rx → application → guest Tx → host Tx → tester.
/// </summary>
public enum Probe
{
    /// <summary>The tester put the frame's first bit on the wire.</summary>
    TesterSend = 0,

    /// <summary>rxh0: the host NIC driver took the frame from its Rx ring (NAPI poll).</summary>
    Rxh0,

    /// <summary>rxh1: the host stack handed the frame to vhost-net (tap queue).</summary>
    Rxh1,

    /// <summary>rxg0: the guest virtio-net driver took the frame from its Rx virtqueue.</summary>
    Rxg0,

    /// <summary>rxg1: the guest stack queued the frame on the application's UDP socket.</summary>
    Rxg1,

    /// <summary>txg0: the guest application called sendto.</summary>
    Txg0,

    /// <summary>txg1: the guest virtio-net driver queued the frame (start_xmit).</summary>
    Txg1,

    /// <summary>txg2: the host learned of the frame: the guest's kick, or the host taking it from the ring when it had asked not to be kicked.</summary>
    Txg2,

    /// <summary>txh0: vhost-net handed the frame to the host stack (tap).</summary>
    Txh0,

    /// <summary>txh1: the host NIC driver queued the frame on its Tx ring.</summary>
    Txh1,

    /// <summary>txh2: the host NIC finished transmitting the frame.</summary>
    Txh2,

    /// <summary>The tester received the frame's last bit.</summary>
    TesterReceive,
}
