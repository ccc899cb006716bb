using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// The driver side of a NAPI instance (its poll() callback): ixgbe_poll for the host NIC,
/// virtnet_poll for the guest's virtio-net. The poller takes frames one at a time, spends
/// their receive cost in its own context, then hands them up.
/// </summary>
public interface INapiDriver
{
    /// <summary>Takes the next received frame from the ring, or false when it is drained.</summary>
    bool TryReceive(out Packet packet);

    /// <summary>CPU time, nominal ns, to take <paramref name="packet"/> through driver, GRO and stack.</summary>
    long ReceiveCostNs(Packet packet);

    /// <summary>Hands the frame upward once its cost is spent (socket, tap, bridge...).</summary>
    void Deliver(Packet packet);

    /// <summary>napi_complete_done() returned true: re-enable the device interrupt.</summary>
    void ReenableInterrupt();

    /// <summary>
    /// The poll took what it could (<paramref name="work"/> frames) and is about to complete
    /// or be requeued: the driver's end-of-poll work, e.g. virtnet_receive's refill.
    /// </summary>
    /// <param name="work">Frames the poll received.</param>
    void EndPoll(int work)
    {
    }
}
