using Kbp.Sim.Events;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Hardware;

/// <summary>
/// One direction of a point-to-point cable (fibre or twinax, as between the paper's
/// tester and server). Convention for every sender and receiver here: the sender hands
/// a frame to the link when the frame's last bit has left it (its serialization is the
/// sender's business), and the link hands it to the far end when that last bit arrives,
/// <see cref="PropagationDelayNs"/> later. Both ends of a cable run at the same rate, so
/// the receiver adds no serialization of its own.
/// </summary>
public sealed class Link
{
    /// <summary>
    /// Signal propagation per metre: light in fibre or a signal in copper travels at about
    /// 0.67 c, ≈ 5 ns/m (4.9 ns/m for a 1.47 refractive index). A 3 m direct-attach
    /// cable is 15 ns, small beside µs-scale host delays, so the default delay is 0.
    /// </summary>
    public const double PropagationNsPerMeter = 5.0;

    private readonly Simulator _sim;
    private readonly EventCallback _onArrival;

    // Frames on the wire, oldest first; a constant delay keeps them in order.
    private readonly Queue<Packet> _inFlight = new();
    private Action<Packet>? _farEnd;

    /// <summary>Creates a link; connect its far end before the first frame is sent.</summary>
    /// <param name="sim">The simulator.</param>
    /// <param name="propagationDelayNs">Time from a bit leaving the sender to its arrival [0].</param>
    /// <param name="farEnd">The receiver (e.g. <see cref="Nic.ReceiveFromLink"/>, <see cref="Tester.Receive"/>), or null to connect later.</param>
    public Link(Simulator sim, long propagationDelayNs = 0, Action<Packet>? farEnd = null)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentOutOfRangeException.ThrowIfNegative(propagationDelayNs);
        _sim = sim;
        PropagationDelayNs = propagationDelayNs;
        _farEnd = farEnd;
        _onArrival = OnArrival;
    }

    /// <summary>Time from a bit leaving the sender to its arrival at the far end.</summary>
    public long PropagationDelayNs { get; }

    /// <summary>Frames handed to the far end.</summary>
    public long Delivered { get; private set; }

    /// <summary>Frames sent and not yet arrived.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>The propagation delay of a cable <paramref name="meters"/> long, at <see cref="PropagationNsPerMeter"/>.</summary>
    public static long PropagationDelayForMetersNs(double meters)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(meters);
        return (long)Math.Round(meters * PropagationNsPerMeter, MidpointRounding.AwayFromZero);
    }

    /// <summary>Attaches the receiver at the far end.</summary>
    /// <exception cref="InvalidOperationException">When a receiver is already attached.</exception>
    public void Connect(Action<Packet> farEnd)
    {
        ArgumentNullException.ThrowIfNull(farEnd);
        if (_farEnd is not null)
        {
            throw new InvalidOperationException("the link's far end is already connected");
        }

        _farEnd = farEnd;
    }

    /// <summary>The sender's last bit of <paramref name="packet"/> has left now.</summary>
    /// <exception cref="InvalidOperationException">When no receiver is connected.</exception>
    public void Send(Packet packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        Action<Packet> farEnd = _farEnd ?? throw new InvalidOperationException("the link's far end is not connected");
        if (PropagationDelayNs == 0)
        {
            Delivered++;
            farEnd(packet);
            return;
        }

        _inFlight.Enqueue(packet);
        _sim.ScheduleAfter(PropagationDelayNs, _onArrival);
    }

    private void OnArrival(long unused)
    {
        Delivered++;
        _farEnd!(_inFlight.Dequeue());
    }
}
