using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Virtualization;

/// <summary>
/// The host side that consumes a guest's transmit virtqueue: vhost-net's worker in the
/// kernel, or a vhost-user backend polled by an OvS-DPDK PMD thread.
/// </summary>
public interface IVirtioTxBackend
{
    /// <summary>The host thread that takes the frames (for wait attribution).</summary>
    KThread Worker { get; }

    /// <summary>
    /// What a frame's wait in the avail ring is, when nothing the model knows kept the
    /// worker away: waiting for vhost-net to be woken, or for a polling PMD to come round.
    /// </summary>
    WaitCause QueueingCause { get; }

    /// <summary>The guest kicked, or (for a polling backend) added a frame: the worker should look.</summary>
    void NotifyTx();
}
