namespace Kbp.Sim.Models.Packets;

/// <summary>
/// Watches one frame's waits as the models charge them, for explaining a slow frame
/// (<c>kbp-sim explain</c>). A frame has no observer unless one is attached, so the
/// ordinary run pays one null check per charge.
/// </summary>
public interface IPacketObserver
{
    /// <summary>The frame passed <paramref name="probe"/> at <paramref name="nowNs"/>.</summary>
    void OnStamp(Packet packet, Probe probe, long nowNs);

    /// <summary>
    /// The wait meter is about to charge a wait that <paramref name="processor"/>'s blocking
    /// states overlapped since <paramref name="fromNs"/> (until now): the
    /// <see cref="OnWait"/>/<see cref="OnMove"/> calls that follow, up to
    /// <see cref="OnCharged"/>, are its parts.
    /// </summary>
    /// <param name="packet">The frame.</param>
    /// <param name="processor">The CPU whose consumer the frame waited for, e.g. "guest/vcpu0".</param>
    /// <param name="consumer">The thread that takes the frame (vhost-net, the application), or null for a softIRQ poller.</param>
    /// <param name="fromNs">Start of the interval the wait lies in.</param>
    void OnCharging(Packet packet, string processor, string? consumer, long fromNs);

    /// <summary>The parts of the wait announced by <see cref="OnCharging"/> are all charged.</summary>
    void OnCharged(Packet packet);

    /// <summary><paramref name="delayNs"/> of waiting charged to <paramref name="cause"/> in the stage starting at <paramref name="stage"/>.</summary>
    void OnWait(Packet packet, Probe stage, WaitCause cause, long delayNs);

    /// <summary><paramref name="delayNs"/> re-charged from <paramref name="from"/> to <paramref name="to"/>.</summary>
    void OnMove(Packet packet, Probe stage, WaitCause from, WaitCause to, long delayNs);
}
