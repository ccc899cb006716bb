using System.Runtime.CompilerServices;

namespace Kbp.Sim.Models.Packets;

/// <summary>
/// One UDP frame of the measured flow, from the tester and back. It carries the time it
/// passed each <see cref="Probe"/> and the time it spent waiting, by <see cref="WaitCause"/>.
/// Times are simulated nanoseconds; -1 means "not passed".
/// </summary>
/// <remarks>
/// The per-probe and per-cause values are inline arrays, so a frame is one allocation: the
/// tester makes one for every frame it sends, millions per simulated second at 64 B.
/// </remarks>
public sealed class Packet
{
    /// <summary>Number of <see cref="Probe"/> values (the last one is <see cref="Probe.TesterReceive"/>).</summary>
    private const int ProbeCount = (int)Probe.TesterReceive + 1;

    /// <summary>Number of <see cref="WaitCause"/> values (the last one is <see cref="WaitCause.CpuFrequency"/>).</summary>
    private const int CauseCount = (int)WaitCause.CpuFrequency + 1;

    private PerProbe<long> _probeNs;
    private PerCause<long> _waitNs;
    private PerProbe<long> _stageLargestWaitNs;

    // A byte per stage: there are far fewer than 256 causes, and this is 36 bytes less per frame.
    private PerProbe<byte> _stageLargestCause;
    private int _lastProbe = -1;

    /// <summary>Creates a frame.</summary>
    /// <param name="id">Sequence number given by the tester, from 0.</param>
    /// <param name="frameBytes">Ethernet frame size without preamble and IFG, with FCS (64..1518 for the paper).</param>
    public Packet(long id, int frameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameBytes);
        Id = id;
        FrameBytes = frameBytes;
        ((Span<long>)_probeNs).Fill(-1L);
    }

    /// <summary>Sequence number given by the tester.</summary>
    public long Id { get; }

    /// <summary>Ethernet frame size in bytes (L2, with FCS, without preamble/IFG).</summary>
    public int FrameBytes { get; }

    /// <summary>Told of every wait charged to this frame (explain mode); null normally.</summary>
    public IPacketObserver? Observer { get; set; }

    /// <summary>The stage the frame is in: the last probe it passed (TesterSend before any).</summary>
    public Probe Stage => (Probe)Math.Max(_lastProbe, 0);

    /// <summary>Records that the frame passes <paramref name="probe"/> at <paramref name="nowNs"/>.</summary>
    public void Stamp(Probe probe, long nowNs)
    {
        _probeNs[(int)probe] = nowNs;
        _lastProbe = Math.Max(_lastProbe, (int)probe);
        Observer?.OnStamp(this, probe, nowNs);
    }

    /// <summary>When the frame passed <paramref name="probe"/>, or -1.</summary>
    public long At(Probe probe) => _probeNs[(int)probe];

    /// <summary>Charges <paramref name="delayNs"/> of waiting to <paramref name="cause"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For a negative delay: a model error.</exception>
    public void AddWait(WaitCause cause, long delayNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delayNs);
        _waitNs[(int)cause] += delayNs;
        int stage = Math.Max(_lastProbe, 0);
        if (delayNs > _stageLargestWaitNs[stage])
        {
            _stageLargestWaitNs[stage] = delayNs;
            _stageLargestCause[stage] = (byte)cause;
        }

        Observer?.OnWait(this, (Probe)stage, cause, delayNs);
    }

    /// <summary>
    /// The cause of the largest single wait charged while the frame was in the stage that
    /// starts at <paramref name="stageStart"/> (after that probe, before the next one);
    /// null when none was charged. Millisecond stalls come in one piece, so this names
    /// the mechanism of a slow stage.
    /// </summary>
    public WaitCause? LargestWaitCauseIn(Probe stageStart) =>
        _stageLargestWaitNs[(int)stageStart] > 0 ? (WaitCause)_stageLargestCause[(int)stageStart] : null;

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

        // Re-charging more than half of the stage's largest wait makes it the larger part.
        int stage = Math.Max(_lastProbe, 0);
        if (2 * delayNs > _stageLargestWaitNs[stage])
        {
            _stageLargestWaitNs[stage] = delayNs;
            _stageLargestCause[stage] = (byte)to;
        }

        Observer?.OnMove(this, (Probe)stage, from, to, delayNs);
    }

    /// <summary>Total time charged to <paramref name="cause"/>.</summary>
    public long WaitNs(WaitCause cause) => _waitNs[(int)cause];

    [InlineArray(ProbeCount)]
    private struct PerProbe<T>
    {
        private T _first;
    }

    [InlineArray(CauseCount)]
    private struct PerCause<T>
    {
        private T _first;
    }
}
