namespace Kbp.Sim.Models.Packets;

/// <summary>
/// One UDP frame of the measured flow, from the tester and back. It carries the time it
/// passed each <see cref="Probe"/> and the time it spent waiting, by <see cref="WaitCause"/>.
/// Times are simulated nanoseconds; -1 means "not passed".
/// </summary>
public sealed class Packet
{
    private static readonly int ProbeCount = Enum.GetValues<Probe>().Length;
    private static readonly int CauseCount = Enum.GetValues<WaitCause>().Length;
    private readonly long[] _probeNs;
    private readonly long[] _waitNs;

    /// <summary>Creates a frame.</summary>
    /// <param name="id">Sequence number given by the tester, from 0.</param>
    /// <param name="frameBytes">Ethernet frame size without preamble and IFG, with FCS (64..1518 for the paper).</param>
    public Packet(long id, int frameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameBytes);
        Id = id;
        FrameBytes = frameBytes;
        _probeNs = new long[ProbeCount];
        Array.Fill(_probeNs, -1L);
        _waitNs = new long[CauseCount];
    }

    /// <summary>Sequence number given by the tester.</summary>
    public long Id { get; }

    /// <summary>Ethernet frame size in bytes (L2, with FCS, without preamble/IFG).</summary>
    public int FrameBytes { get; }

    /// <summary>Records that the frame passes <paramref name="probe"/> at <paramref name="nowNs"/>.</summary>
    public void Stamp(Probe probe, long nowNs) => _probeNs[(int)probe] = nowNs;

    /// <summary>When the frame passed <paramref name="probe"/>, or -1.</summary>
    public long At(Probe probe) => _probeNs[(int)probe];

    /// <summary>Charges <paramref name="delayNs"/> of waiting to <paramref name="cause"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For a negative delay: a model error.</exception>
    public void AddWait(WaitCause cause, long delayNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delayNs);
        _waitNs[(int)cause] += delayNs;
    }

    /// <summary>
    /// Re-charges <paramref name="delayNs"/> already charged to <paramref name="from"/> to
    /// <paramref name="to"/>, when a later look finds the wait had a more specific cause.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When more is moved than <paramref name="from"/> holds.</exception>
    public void MoveWait(WaitCause from, WaitCause to, long delayNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delayNs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delayNs, _waitNs[(int)from]);
        _waitNs[(int)from] -= delayNs;
        _waitNs[(int)to] += delayNs;
    }

    /// <summary>Total time charged to <paramref name="cause"/>.</summary>
    public long WaitNs(WaitCause cause) => _waitNs[(int)cause];
}
