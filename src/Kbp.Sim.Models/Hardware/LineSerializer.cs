using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Hardware;

/// <summary>
/// A transmitter's line: frames go out one after another, each occupying
/// <see cref="Ethernet.WireTimeNs"/> of line time: preamble and SFD, the frame, then
/// the inter-frame gap during which the line stays silent.
/// </summary>
/// <remarks>
/// Times are whole nanoseconds but a frame's true wire time need not be (64 B at
/// 10 Gb/s is 67.2 ns). Rounding every frame up would make a back-to-back train 1.2%
/// slower than the line, and a NIC echoing a line-rate stream would then fall behind and
/// fill its ring: an artifact. So the line keeps the fraction of a nanosecond by which
/// its true free time precedes the whole-ns <see cref="FreeAtNs"/> and carries it into
/// the next frame when that one starts back to back. A train of n frames then lasts
/// exactly ⌈n · wire time⌉; a frame started on an idle line starts at a whole ns.
/// </remarks>
public sealed class LineSerializer
{
    private readonly long _rateBps;

    // (_freeAtNs - true free time) · rate, in [0, rate): the part of a nanosecond already free.
    private long _slackUnits;

    /// <summary>Creates an idle line.</summary>
    /// <param name="rateBps">Line rate, whole bit/s.</param>
    public LineSerializer(double rateBps)
    {
        _rateBps = Ethernet.WholeRateBps(rateBps);
        RateBps = rateBps;
    }

    /// <summary>Line rate in bit/s.</summary>
    public double RateBps { get; }

    /// <summary>When the line is free again: the last frame's inter-frame gap is over (rounded up to a whole ns).</summary>
    public long FreeAtNs { get; private set; }

    /// <summary>Frames put on the line.</summary>
    public long FramesSent { get; private set; }

    /// <summary>
    /// Puts a frame of <paramref name="frameBytes"/> on the line as soon as both the frame
    /// is ready (<paramref name="readyNs"/>) and the line is free. Returns when the
    /// frame's last bit (end of FCS) has left; the line is free again one inter-frame gap
    /// later (<see cref="FreeAtNs"/>). <paramref name="firstBitNs"/> is when the first
    /// bit of its preamble went out.
    /// </summary>
    public long Transmit(long readyNs, int frameBytes, out long firstBitNs)
    {
        // Ready before the line is free: start back to back, at the line's true free
        // time, which precedes the whole-ns FreeAtNs by the slack. Ready at or after it:
        // start at readyNs itself.
        long slack = 0;
        if (readyNs < FreeAtNs)
        {
            readyNs = FreeAtNs;
            slack = _slackUnits;
        }

        // Line time measured from the whole-ns start, in units of 1/rate ns.
        long slotUnits = (Ethernet.WireBits(frameBytes) * SimTime.NsPerS) - slack;
        long lastBitUnits = slotUnits - (8L * Ethernet.InterFrameGapBytes * SimTime.NsPerS);
        long slotNs = CeilDiv(slotUnits, _rateBps);
        _slackUnits = (slotNs * _rateBps) - slotUnits;
        firstBitNs = readyNs;
        FreeAtNs = readyNs + slotNs;
        FramesSent++;
        return readyNs + CeilDiv(lastBitUnits, _rateBps);
    }

    private static long CeilDiv(long units, long rate) => (units + rate - 1) / rate;
}
